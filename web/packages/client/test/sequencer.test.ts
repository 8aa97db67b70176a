import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sequencer, type Message, type MessagePage } from '../src/index.js';
import { msg, settle } from './helpers.js';

function setup(history: Message[] = [], options: { failFirst?: number } = {}) {
  const delivered: Array<[string, number]> = [];
  const reads: Array<[string, number, number]> = [];
  let failures = options.failFirst ?? 0;
  const seq = new Sequencer({
    deliver: (m) => delivered.push([m.conversationId, m.seq]),
    fetchAfter: async (c, afterSeq, limit): Promise<MessagePage> => {
      reads.push([c, afterSeq, limit]);
      if (failures > 0) {
        failures--;
        throw new Error('network');
      }
      const later = history.filter((m) => m.conversationId === c && m.seq > afterSeq);
      return { items: later.slice(0, limit), hasMore: later.length > limit };
    },
    pageSize: 2,
  });
  return { seq, delivered, reads };
}

describe('Sequencer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers in order and drops duplicates and older seqs', () => {
    const { seq, delivered, reads } = setup();
    seq.track('a', 0);
    for (const s of [1, 2, 2, 1, 3, 3]) seq.accept(msg('a', s));
    expect(delivered).toEqual([
      ['a', 1],
      ['a', 2],
      ['a', 3],
    ]);
    expect(seq.lastSeq('a')).toBe(3);
    expect(reads).toEqual([]);
  });

  it('drops what is not above the tracked position', () => {
    const { seq, delivered } = setup();
    seq.track('a', 5);
    seq.accept(msg('a', 4));
    seq.accept(msg('a', 5));
    seq.accept(msg('a', 6));
    expect(delivered).toEqual([['a', 6]]);
    seq.track('a', 3); // never moves back
    expect(seq.lastSeq('a')).toBe(6);
  });

  it('holds what follows a gap and fills it from the history, paging, each message once and in order', async () => {
    const history = [1, 2, 3, 4, 5, 6, 7].map((s) => msg('a', s));
    const { seq, delivered, reads } = setup(history);
    seq.track('a', 1);
    seq.accept(msg('a', 6));
    seq.accept(msg('a', 7));
    seq.accept(msg('a', 6));
    expect(delivered).toEqual([]);
    expect(seq.waiting('a')).toBe(2);
    await settle();
    expect(delivered.map(([, s]) => s)).toEqual([2, 3, 4, 5, 6, 7]);
    // pages of 2 after 1, then after 3; 6 and 7 were held, so the reading stops there
    expect(reads).toEqual([
      ['a', 1, 2],
      ['a', 3, 2],
    ]);
    expect(seq.waiting('a')).toBe(0);
    // late duplicates change nothing
    seq.accept(msg('a', 5));
    seq.accept(msg('a', 8));
    expect(delivered.map(([, s]) => s)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps conversations apart: a gap in one does not hold the other', async () => {
    const history = [1, 2, 3].map((s) => msg('a', s));
    const { seq, delivered } = setup(history);
    seq.track('a', 0);
    seq.track('b', 0);
    seq.accept(msg('a', 3));
    seq.accept(msg('b', 1));
    expect(delivered).toEqual([['b', 1]]);
    await settle();
    expect(delivered).toEqual([
      ['b', 1],
      ['a', 1],
      ['a', 2],
      ['a', 3],
    ]);
  });

  it('live messages that arrive while the gap is read are delivered once, after it', async () => {
    const history = [1, 2, 3, 4, 5].map((s) => msg('a', s));
    const { seq, delivered } = setup(history);
    seq.track('a', 0);
    seq.accept(msg('a', 3));
    seq.accept(msg('a', 4)); // while the read is on its way
    seq.accept(msg('a', 1)); // the replay of a resume fills part of the gap meanwhile
    seq.accept(msg('a', 5));
    await settle();
    expect(delivered.map(([, s]) => s)).toEqual([1, 2, 3, 4, 5]);
  });

  it('tries a failed history read again later', async () => {
    const history = [1, 2, 3].map((s) => msg('a', s));
    const { seq, delivered, reads } = setup(history, { failFirst: 1 });
    seq.track('a', 0);
    seq.accept(msg('a', 3));
    await settle();
    expect(delivered).toEqual([]);
    await settle(250);
    expect(delivered.map(([, s]) => s)).toEqual([1, 2, 3]);
    expect(reads.length).toBe(2);
  });

  it('tracks an unknown conversation from its first message, and resume positions follow', () => {
    const { seq, delivered, reads } = setup();
    seq.accept(msg('x', 41));
    seq.accept(msg('x', 42));
    expect(delivered).toEqual([
      ['x', 41],
      ['x', 42],
    ]);
    expect(reads).toEqual([]);
    seq.track('y', 7);
    expect(seq.positions()).toEqual({ x: 42, y: 7 });
    seq.untrack('x');
    expect(seq.positions()).toEqual({ y: 7 });
  });
});
