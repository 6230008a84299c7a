/** When a host's slots are all busy and it has no spacing, when to look again. */
const FULL_RECHECK_MS = 1000;

interface HostState {
  active: number;
  lastStart: number;
  waiting: (() => void)[];
  timer: NodeJS.Timeout | null;
}

export interface HostGateOptions {
  /** Requests in flight to one host at once. @defaultValue 2 */
  maxConcurrentPerHost: number;
  /** Minimum time between the starts of two requests to one host. */
  minSpacingMs: number;
}

/**
 * Per-host politeness: at most N requests in flight to a host and a minimum spacing between
 * their starts, first come first served. 200 feeds from one publisher are then fetched a few
 * at a time instead of all at once, while other hosts are not held up.
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

  /** Runs fn when the host has a free slot; the slot is released when fn settles. */
  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const key = host.toLowerCase();
    await this.acquire(key);
    try {
      return await fn();
    } finally {
      const state = this.hosts.get(key);
      if (state) {
        state.active--;
        this.pump(key, state);
      }
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
    const spacingLeft = Math.max(0, s.lastStart + this.spacing - Date.now());
    if (s.active < this.max && s.waiting.length === 0) return spacingLeft;
    // Full: about one spacing per request queued ahead, or a recheck when there is no spacing.
    const perRequest = this.spacing > 0 ? this.spacing : FULL_RECHECK_MS;
    return Math.max(spacingLeft, perRequest * (s.waiting.length + 1));
  }

  /** Hosts with requests in flight or waiting (for metrics and tests). */
  get busyHosts(): number {
    let n = 0;
    for (const s of this.hosts.values()) if (s.active > 0 || s.waiting.length > 0) n++;
    return n;
  }

  private acquire(key: string): Promise<void> {
    let state = this.hosts.get(key);
    if (!state) {
      state = { active: 0, lastStart: Number.NEGATIVE_INFINITY, waiting: [], timer: null };
      this.hosts.set(key, state);
    }
    const s = state;
    return new Promise((resolve) => {
      s.waiting.push(resolve);
      this.pump(key, s);
    });
  }

  private pump(key: string, s: HostState): void {
    while (s.waiting.length > 0 && s.active < this.max) {
      const wait = s.lastStart + this.spacing - Date.now();
      if (wait > 0) {
        s.timer ??= setTimeout(() => {
          s.timer = null;
          this.pump(key, s);
        }, wait);
        return;
      }
      s.active++;
      s.lastStart = Date.now();
      s.waiting.shift()?.();
    }
    // Forget a quiet host once its spacing has passed, so the map does not grow forever.
    if (s.active === 0 && s.waiting.length === 0 && Date.now() - s.lastStart >= this.spacing) {
      this.hosts.delete(key);
    }
  }
}
