import { pingRedis, type RedisClient, redisLabel } from "../queue/connection.ts";
import { RedisUnavailableError } from "./ensure-redis.ts";

export interface RedisWatch {
  /** Rejects with a RedisUnavailableError once Redis stops answering; never resolves. */
  readonly failed: Promise<never>;
  stop(): void;
}

/** PING once a second; two missed replies in a row (2 s each) mean Redis is gone. */
const EVERY_MS = 1000;
const PING_TIMEOUT_MS = 2000;
const MISSES = 2;

/**
 * Watches Redis while a command a person waits on runs. The shared connection retries every
 * command for ever (what the daemon's workers need), so without this a command whose Redis
 * dies or freezes half-way would hang with no word; with it, the command stops within a few
 * seconds with "Redis at URL is not answering".
 */
export function watchRedis(redis: RedisClient, url: string): RedisWatch {
  let stopped = false;
  let misses = 0;
  let timer: NodeJS.Timeout | undefined;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // a command that finishes first never looks at it
  const tick = async () => {
    try {
      await pingRedis(redis, url, PING_TIMEOUT_MS);
      misses = 0;
    } catch {
      misses++;
    }
    if (stopped) return;
    if (misses >= MISSES) {
      const waited = (MISSES * PING_TIMEOUT_MS) / 1000;
      fail(
        new RedisUnavailableError(
          `Redis at ${redisLabel(url)} is not answering (no reply for ${waited} s); the command stopped`,
        ),
      );
      return;
    }
    timer = setTimeout(tick, EVERY_MS);
  };
  timer = setTimeout(tick, EVERY_MS);
  return {
    failed,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
