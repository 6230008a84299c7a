/**
 * NEWSWATCH_RETRY_SCALE multiplies the delivery retry schedule (0.001 turns 5 min into 0.3 s).
 * Meant for fault tests and drills, where a day-long schedule cannot be waited out; 1 (the
 * default) is the real schedule. Retry-After is scaled too, the receiver being in the drill.
 */
export function retryScale(env: NodeJS.ProcessEnv): number {
  const scale = Number(env.NEWSWATCH_RETRY_SCALE ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/**
 * NEWSWATCH_JOB_LOCK_MS shortens BullMQ's job lock (default 30 s) and stalled-job check: a job
 * held by a worker that died is handed to another worker after about this long instead of
 * up to a minute. Locks are renewed at half this period, so keep it well above event-loop
 * pauses (a few seconds at least in production).
 */
export function jobLockOptions(env: NodeJS.ProcessEnv): {
  lockDuration?: number;
  stalledInterval?: number;
} {
  const ms = Number(env.NEWSWATCH_JOB_LOCK_MS);
  return Number.isFinite(ms) && ms >= 500 ? { lockDuration: ms, stalledInterval: ms } : {};
}
