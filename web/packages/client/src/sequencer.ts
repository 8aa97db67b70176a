import type { Message, MessagePage } from './types.js';

/** Options of {@link Sequencer}. */
export interface SequencerOptions {
  /** Reads the history after a seq (`GET .../messages?afterSeq&limit`). */
  fetchAfter: (conversationId: string, afterSeq: number, limit: number) => Promise<MessagePage>;
  /** Receives each message once, in seq order per conversation. */
  deliver: (message: Message) => void;
  /**
   * A message of a conversation that is not tracked: `true` (default) tracks it from that message on (delivered,
   * with nothing fetched before it); `false` drops it.
   */
  autoTrack?: boolean;
  /** A history read failed; it is tried again after `retryMs`. */
  onFetchError?: (conversationId: string, error: unknown) => void;
  /** The delay before the n-th retry (from 1) of a failed or short history read (default 250 ms doubling, cap 10 s). */
  retryDelay?: (attempt: number) => number;
  /** Page size of gap reads (default 200, the API's maximum). */
  pageSize?: number;
}

/**
 * Hands each message over exactly once and in seq order per conversation. It keeps the highest seq delivered per
 * conversation, drops what is not above it, holds back what comes after a gap and fills the gap from the history.
 */
export class Sequencer {
  private readonly held = new Map<string, number>();
  private readonly buffers = new Map<string, Map<number, Message>>();
  private readonly fetching = new Set<string>();
  private readonly retries = new Map<string, { attempt: number; timer?: ReturnType<typeof setTimeout> }>();
  private readonly opts: SequencerOptions;
  private closed = false;

  /** Makes one with nothing tracked. */
  constructor(options: SequencerOptions) {
    this.opts = options;
  }

  /**
   * Tracks a conversation: messages up to `lastSeq` are taken as delivered. A conversation already tracked keeps
   * the higher of the two.
   */
  track(conversationId: string, lastSeq: number): void {
    const h = this.held.get(conversationId);
    if (h === undefined || lastSeq > h) this.held.set(conversationId, lastSeq);
    this.drain(conversationId);
  }

  /** Stops tracking a conversation; what it held back is dropped. */
  untrack(conversationId: string): void {
    this.held.delete(conversationId);
    this.buffers.delete(conversationId);
    const r = this.retries.get(conversationId);
    if (r?.timer) clearTimeout(r.timer);
    this.retries.delete(conversationId);
  }

  /** The highest seq delivered in a conversation, or undefined when it is not tracked. */
  lastSeq(conversationId: string): number | undefined {
    return this.held.get(conversationId);
  }

  /** The highest seq delivered per tracked conversation (the positions of a `resume`). */
  positions(): Record<string, number> {
    return Object.fromEntries(this.held);
  }

  /** How many messages wait behind a gap in a conversation. */
  waiting(conversationId: string): number {
    return this.buffers.get(conversationId)?.size ?? 0;
  }

  /** Takes a message from the socket (live or replayed) or the history. */
  accept(message: Message): void {
    if (this.closed) return;
    const c = message.conversationId;
    let h = this.held.get(c);
    if (h === undefined) {
      if (this.opts.autoTrack === false) return;
      h = message.seq - 1;
      this.held.set(c, h);
    }
    if (message.seq <= h) return;
    if (message.seq === h + 1) {
      this.held.set(c, message.seq);
      this.opts.deliver(message);
      this.drain(c);
      return;
    }
    let buf = this.buffers.get(c);
    if (!buf) this.buffers.set(c, (buf = new Map()));
    if (!buf.has(message.seq)) buf.set(message.seq, message);
    this.fill(c);
  }

  /** Stops: nothing more is delivered or fetched. */
  close(): void {
    this.closed = true;
    for (const r of this.retries.values()) if (r.timer) clearTimeout(r.timer);
    this.retries.clear();
  }

  private drain(c: string): void {
    const buf = this.buffers.get(c);
    if (!buf) return;
    let h = this.held.get(c);
    while (h !== undefined && buf.has(h + 1)) {
      const m = buf.get(h + 1)!;
      buf.delete(h + 1);
      h = h + 1;
      this.held.set(c, h);
      this.opts.deliver(m);
      if (this.closed) return;
      h = this.held.get(c);
    }
    if (h !== undefined) for (const seq of buf.keys()) if (seq <= h) buf.delete(seq);
    if (buf.size === 0) {
      this.buffers.delete(c);
      const r = this.retries.get(c);
      if (r?.timer) clearTimeout(r.timer);
      this.retries.delete(c);
    }
  }

  private fill(c: string): void {
    if (this.fetching.has(c) || this.retries.get(c)?.timer || this.closed) return;
    this.fetching.add(c);
    void this.read(c).finally(() => this.fetching.delete(c));
  }

  private async read(c: string): Promise<void> {
    const limit = this.opts.pageSize ?? 200;
    try {
      for (;;) {
        const h = this.held.get(c);
        if (h === undefined || !this.buffers.get(c)?.size || this.closed) return;
        const page = await this.opts.fetchAfter(c, h, limit);
        for (const m of page.items) {
          if (m.conversationId !== c) continue;
          this.acceptFromHistory(m);
        }
        if (!page.hasMore || page.items.length === 0) break;
      }
    } catch (e) {
      this.opts.onFetchError?.(c, e);
    }
    // still a gap (the read failed, or the history did not have it yet): try again a little later
    if (this.buffers.get(c)?.size && this.held.has(c) && !this.closed) this.retryLater(c);
  }

  private acceptFromHistory(m: Message): void {
    const c = m.conversationId;
    const h = this.held.get(c);
    if (h === undefined || m.seq <= h) return;
    if (m.seq === h + 1) {
      this.held.set(c, m.seq);
      this.opts.deliver(m);
      this.drain(c);
    } else {
      this.buffers.get(c)?.set(m.seq, m);
    }
  }

  private retryLater(c: string): void {
    const r = this.retries.get(c) ?? { attempt: 0 };
    r.attempt++;
    const delay = this.opts.retryDelay?.(r.attempt) ?? Math.min(10_000, 250 * 2 ** (r.attempt - 1));
    r.timer = setTimeout(() => {
      delete r.timer;
      this.fill(c);
    }, delay);
    this.retries.set(c, r);
  }
}
