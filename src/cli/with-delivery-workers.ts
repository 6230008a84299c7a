import type { AppContext } from "../runtime/context.ts";
import { type DeliveryTally, waitForDeliveries, waitingRetryDelay } from "../runtime/run-once.ts";

/**
 * Runs delivery workers in this process until the given deliveries have succeeded or
 * failed for good (or `retryForMs` passed), so a command works with or without a daemon.
 */
export async function deliverNow(
  ctx: AppContext,
  queueDeliveries: () => Promise<string[]>,
  retryForMs: number,
): Promise<DeliveryTally> {
  // Quick retries only while they fit the wait; then the normal schedule, for the daemon.
  const workers = ctx.startWorkers(["deliver"], { retryDelayMs: waitingRetryDelay(retryForMs) });
  try {
    const ids = await queueDeliveries();
    return await waitForDeliveries(ctx, ids, Date.now() + retryForMs);
  } finally {
    await workers.close();
  }
}
