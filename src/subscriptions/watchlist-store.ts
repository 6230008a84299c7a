import { type WatchlistConfig, watchlist } from "../config/schema.ts";
import type { RedisClient } from "../queue/connection.ts";
import { checkQuery } from "../rules/index.ts";
import type { Keys } from "../store/keys.ts";
import type { FieldErrors } from "./validate.ts";

export type WatchlistCheck =
  | { ok: true; value: WatchlistConfig }
  | { ok: false; errors: FieldErrors; column?: number };

/**
 * Validates a watchlist exactly as the config file's are: the config's zod schema, then the
 * query through the rules parser with the config's @lists. `readOnlyIds` are the
 * config file's own watchlists, which the API may not replace.
 */
export function checkWatchlist(raw: unknown, lists: Record<string, string[]>): WatchlistCheck {
  const parsed = watchlist.safeParse(raw);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues)
      errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const check = checkQuery(parsed.data.query, lists, { stemming: parsed.data.stemming });
  if (check.error)
    return { ok: false, errors: { query: check.error.message }, column: check.error.column };
  return { ok: true, value: parsed.data };
}

/** Watchlists created through the API or the editor; the config file's stay in the file. */
export class WatchlistStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private get key() {
    return this.keys.apiWatchlists();
  }

  async list(): Promise<WatchlistConfig[]> {
    const all = Object.values(await this.redis.hgetall(this.key)).map((raw) =>
      storedWatchlist.parse(JSON.parse(raw)),
    );
    return all.sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<WatchlistConfig | undefined> {
    const raw = await this.redis.hget(this.key, id);
    return raw ? storedWatchlist.parse(JSON.parse(raw)) : undefined;
  }

  /** Creates or replaces; returns true when it was new. */
  async put(value: WatchlistConfig): Promise<boolean> {
    return (await this.redis.hset(this.key, value.id, JSON.stringify(value))) === 1;
  }
}

// Stored values were validated on the way in; parsing again keeps a hand-edited hash honest.
const storedWatchlist = watchlist;
