/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** The first delay's upper bound after the immediate retry, in ms (default 250). */
  baseMs?: number;
  /** The largest delay, in ms (default 10,000). */
  capMs?: number;
  /** A random number in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/**
 * Reconnect delays: the first retry at once, then exponential backoff with full jitter and a cap
 * (`random() * min(cap, base * 2^(n-1))` before the n-th retry after the first).
 */
export class Backoff {
  /** The delay before the first retry after the immediate one has a ceiling of this (ms). */
  readonly baseMs: number;
  /** No delay is longer than this (ms). */
  readonly capMs: number;
  private readonly random: () => number;
  private n = 0;

  /** Makes one, with no attempt made yet. */
  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 250;
    this.capMs = options.capMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last {@link Backoff.reset}. */
  get attempts(): number {
    return this.n;
  }

  /** The ceiling of the next delay (0 for the first). */
  ceiling(attempt: number = this.n): number {
    if (attempt <= 0) return 0;
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt - 1, 30));
  }

  /**
   * The next delay in ms, and counts an attempt. `minMs` (a server's `Retry-After`) is a floor: the delay is never
   * shorter than it, even where the cap is lower.
   */
  next(minMs = 0): number {
    const ceiling = this.ceiling(this.n);
    this.n++;
    const jittered = Math.floor(this.random() * ceiling);
    return Math.max(minMs, jittered);
  }

  /** Starts over: the next retry is immediate again. */
  reset(): void {
    this.n = 0;
  }
}
