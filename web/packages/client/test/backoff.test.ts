import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/index.js';

describe('Backoff', () => {
  it('retries at once first, then grows with full jitter up to the cap', () => {
    const b = new Backoff({ baseMs: 250, capMs: 10_000, random: () => 0.999999 });
    expect(b.next()).toBe(0);
    const delays = Array.from({ length: 10 }, () => b.next());
    // ceilings 250, 500, 1000, 2000, 4000, 8000, 10000 (cap), 10000...
    expect(delays).toEqual([249, 499, 999, 1999, 3999, 7999, 9999, 9999, 9999, 9999]);
  });

  it('stays within [0, ceiling) whatever the random numbers', () => {
    const values = [0, 0.25, 0.5, 0.75, 0.9999];
    let i = 0;
    const b = new Backoff({ baseMs: 100, capMs: 1_000, random: () => values[i++ % values.length]! });
    b.next();
    for (let n = 1; n < 50; n++) {
      const ceiling = b.ceiling();
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.max(1, ceiling));
      expect(ceiling).toBeLessThanOrEqual(1_000);
    }
    // full jitter: the lowest random number gives 0 even late
    const zero = new Backoff({ random: () => 0 });
    zero.next();
    zero.next();
    expect(zero.next()).toBe(0);
  });

  it('honours Retry-After as a floor, even above the cap or on the first retry', () => {
    const b = new Backoff({ baseMs: 250, capMs: 500, random: () => 0.5 });
    expect(b.next(1_000)).toBe(1_000);
    expect(b.next(1_000)).toBe(1_000);
    expect(b.next(0)).toBe(250);
    expect(b.next(3_000)).toBe(3_000);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ random: () => 0.5 });
    b.next();
    b.next();
    b.next();
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(0);
    expect(b.next()).toBe(125);
  });
});
