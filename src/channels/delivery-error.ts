/**
 * A failed delivery. `permanent` decides what the queue does: a permanent failure
 * (HTTP 4xx other than 408/429, SMTP 5xx, 3xx from a webhook) stops retries and stays
 * inspectable; anything else is retried with backoff.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  /** Wait at least this long before the next attempt (from Retry-After). */
  readonly retryAfterMs: number | undefined;
  /** What else the failure means for the target: a 410 endpoint or a 5xx-rejected address. */
  readonly targetAction: "disable" | "suppress" | undefined;
  /**
   * What it means for the target when this retryable failure is the last attempt of the whole
   * schedule: an endpoint down for ~27 hours is switched off rather than failing every alert.
   */
  readonly whenExhausted: "disable" | undefined;

  constructor(
    message: string,
    opts: {
      permanent: boolean;
      retryAfterMs?: number;
      targetAction?: "disable" | "suppress";
      whenExhausted?: "disable";
      cause?: unknown;
    },
  ) {
    super(message, { cause: opts.cause });
    this.name = "DeliveryError";
    this.permanent = opts.permanent;
    this.retryAfterMs = opts.retryAfterMs;
    this.targetAction = opts.targetAction;
    this.whenExhausted = opts.whenExhausted;
  }
}
