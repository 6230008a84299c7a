import type { AppContext } from "../runtime/context.ts";
import { type DeliveryTally, quickRetryDelay, waitForDeliveries } from "../runtime/run-once.ts";
import { startWorkers } from "../runtime/workers.ts";

/**
 * Runs delivery workers in this process until the given deliveries have succeeded or
 * failed for good (or `retryForMs` passed), so a command works with or without a daemon.
 */
export async function deliverNow(
  ctx: AppContext,
  queueDeliveries: () => Promise<string[]>,
  retryForMs: number,
): Promise<DeliveryTally> {
  const workers = startWorkers(ctx, ["deliver"], { retryDelayMs: quickRetryDelay });
  try {
    const ids = await queueDeliveries();
    return await waitForDeliveries(ctx, ids, Date.now() + retryForMs);
  } finally {
    await workers.close();
  }
}
