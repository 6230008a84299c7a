import type { ThreadRefs } from "../channels/channel.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";
import { STORY_TTL_MS } from "./stories.ts";

/**
 * A day longer than a story lives: an update can only come while its story does, so a
 * reference older than that has nothing left to thread.
 */
const THREAD_REF_TTL_MS = STORY_TTL_MS + 86_400_000;

/** The id a chat service gave a story's first message, per alert and room (see ThreadRefs). */
export class ThreadRefStore implements ThreadRefs {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async remember(key: string, ref: string): Promise<void> {
    await this.redis.set(this.keys.threadRef(key), ref, "PX", THREAD_REF_TTL_MS);
  }

  async lookup(key: string): Promise<string | null> {
    return this.redis.get(this.keys.threadRef(key));
  }
}
