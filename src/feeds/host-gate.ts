/** When a host's slots are all busy and nothing better is known, when to look again. */
const FULL_RECHECK_MS = 1000;

interface HostState {
  active: number;
  waiting: (() => void)[];
  timer: NodeJS.Timeout | null;
  /** Start times of requests in flight whose answer may still be a full response. */
  charged: number[];
  /** Start of the last request that got a full response (or failed). */
  lastFullStart: number;
  /** The last answer was a 304: conditional requests go out back to back, up to the cap. */
  quiet: boolean;
  /** Moving average of a request's duration, to estimate waits (0 until one finished). */
  avgMs: number;
}

export interface HostGateOptions {
  /** Requests in flight to one host at once. @defaultValue 2 */
  maxConcurrentPerHost: number;
  /** Minimum time between the starts of two requests to one host that may cost it a full response. */
  minSpacingMs: number;
}

/** Whether a request's result cost the publisher nothing worth spacing (a 304). */
export type IsFree<T> = (result: T) => boolean;

/** The default: a fetch result saying "not-modified" (fetchFeed's answer to a 304). */
const notModified: IsFree<unknown> = (result) =>
  (result as { kind?: unknown } | null)?.kind === "not-modified";

/**
 * Per-host politeness: at most N requests in flight to a host, first come first served, and a
 * minimum spacing between starts that a 304 refunds. What costs a publisher is sending a body;
 * a conditional request answered 304 (RFC 9110 §15.4.5) is a header exchange. So:
 * - a host that has just answered 304 gets its next conditional requests back to back, up to
 *   N at once: 50 unchanged feeds on one host take 25 round trips, not 50 spacings;
 * - after a full response or an error, or when nothing is known yet, starts are spaced by
 *   `minSpacingMs`; a request still in flight counts as full until its answer says otherwise,
 *   and a 304 releases the next request at once instead of at the end of the spacing.
 * 200 feeds from one publisher are then fetched a few at a time, while other hosts are not
 * held up.
 */
export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  /** Per host: no request before this time (a publisher's Retry-After), kept apart from the slots. */
  private readonly notBefore = new Map<string, number>();
  private readonly max: number;
  private readonly spacing: number;

  constructor(opts: Partial<HostGateOptions> = {}) {
    this.max = Math.max(1, opts.maxConcurrentPerHost ?? 2);
    this.spacing = Math.max(0, opts.minSpacingMs ?? 0);
  }

  /**
   * Runs fn when the host has a free slot; the slot is released when fn settles. `isFree`
   * tells a result that costs no spacing (by default a `{ kind: "not-modified" }` fetch
   * result) from one that does; a throw always costs.
   */
  async run<T>(host: string, fn: () => Promise<T>, isFree: IsFree<T> = notModified): Promise<T> {
    const key = host.toLowerCase();
    const startedAt = await this.acquire(key);
    let free = false;
    try {
      const result = await fn();
      free = isFree(result);
      return result;
    } finally {
      const state = this.hosts.get(key);
      if (state) this.release(key, state, startedAt, free);
    }
  }

  /**
   * Roughly how long a request to `host` asked for now would wait for its slot (0: it would
   * start at once). A queue worker hands a job back for that long instead of holding one of
   * its own slots while the host is busy: 200 feeds from one publisher must not occupy every
   * slot and starve the other hosts.
   */
  waitFor(host: string): number {
    const held = Math.max(0, (this.heldUntil(host) ?? 0) - Date.now());
    const s = this.hosts.get(host.toLowerCase());
    if (!s) return held;
    return Math.max(held, this.slotWait(s));
  }

  /**
   * Holds every request to `host` back until `until`: a 429 or 503 with Retry-After speaks
   * for the publisher's server, not for the one feed that got it, so its other feeds must
   * wait too. Queue workers see it through waitFor(); run() itself does not wait for it, so a
   * poll the user forces (run-once --force) still goes out. A later, longer hold wins.
   */
  holdUntil(host: string, until: number): void {
    const key = host.toLowerCase();
    if (until > (this.notBefore.get(key) ?? 0)) this.notBefore.set(key, until);
  }

  /** When the host's Retry-After hold ends, or null when it has none (or it has passed). */
  heldUntil(host: string): number | null {
    const key = host.toLowerCase();
    const until = this.notBefore.get(key);
    if (until === undefined) return null;
    if (until > Date.now()) return until;
    this.notBefore.delete(key); // passed: forget it, so the map does not grow forever
    return null;
  }

  private slotWait(s: HostState): number {
    const spacingLeft = Math.max(0, this.nextStart(s) - Date.now());
    if (s.active < this.max && s.waiting.length === 0) return spacingLeft;
    // Full: about one turn per request queued ahead. A quiet host turns as fast as it answers.
    const ahead = s.waiting.length + 1;
    if (s.quiet && s.avgMs > 0) return Math.ceil((s.avgMs * ahead) / this.max);
    const perRequest = this.spacing > 0 ? this.spacing : FULL_RECHECK_MS;
    return Math.max(spacingLeft, perRequest * ahead);
  }

  /** The earliest time the next request may start as far as spacing goes (slots aside). */
  private nextStart(s: HostState): number {
    if (s.quiet || this.spacing === 0) return Number.NEGATIVE_INFINITY;
    return Math.max(s.lastFullStart, ...s.charged) + this.spacing;
  }

  /** Hosts with requests in flight or waiting (for metrics and tests). */
  get busyHosts(): number {
    let n = 0;
    for (const s of this.hosts.values()) if (s.active > 0 || s.waiting.length > 0) n++;
    return n;
  }

  private acquire(key: string): Promise<number> {
    let state = this.hosts.get(key);
    if (!state) {
      state = {
        active: 0,
        waiting: [],
        timer: null,
        charged: [],
        lastFullStart: Number.NEGATIVE_INFINITY,
        quiet: false,
        avgMs: 0,
      };
      this.hosts.set(key, state);
    }
    const s = state;
    return new Promise((resolve) => {
      s.waiting.push(() => {
        const now = Date.now();
        s.charged.push(now);
        resolve(now);
      });
      this.pump(key, s);
    });
  }

  private release(key: string, s: HostState, startedAt: number, free: boolean): void {
    s.active--;
    const i = s.charged.indexOf(startedAt);
    if (i >= 0) s.charged.splice(i, 1);
    const took = Date.now() - startedAt;
    s.avgMs = s.avgMs === 0 ? took : 0.8 * s.avgMs + 0.2 * took;
    s.quiet = free;
    if (!free) s.lastFullStart = Math.max(s.lastFullStart, startedAt);
    this.pump(key, s);
  }

  private pump(key: string, s: HostState): void {
    while (s.waiting.length > 0 && s.active < this.max) {
      const wait = this.nextStart(s) - Date.now();
      if (wait > 0) {
        if (s.timer) clearTimeout(s.timer); // a full answer may have moved the next start
        s.timer = setTimeout(() => {
          s.timer = null;
          this.pump(key, s);
        }, wait);
        return;
      }
      s.active++;
      s.waiting.shift()?.();
    }
    // Forget an idle host once its spacing has passed, so the map does not grow forever; one
    // whose last answer was a 304 is kept, so its next round starts back to back too (one entry
    // per feed host at most: the config bounds them).
    const idle = s.active === 0 && s.waiting.length === 0;
    if (idle && !s.quiet && Date.now() >= this.nextStart(s)) {
      if (s.timer) clearTimeout(s.timer);
      this.hosts.delete(key);
    }
  }
}
