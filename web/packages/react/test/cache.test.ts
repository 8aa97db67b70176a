import { describe, expect, it } from 'vitest';
import {
  applyMessage,
  applyOwnRead,
  applyRead,
  applyTyping,
  applyUnread,
  applyUnreadCount,
  unreadNews,
  flattenConversations,
  flattenMessages,
  insertAtTop,
  insertMessage,
  replaceMessage,
  seenBy,
  sortUnanswered,
  timeline,
  updateConversationInList,
  waitingSince,
  type ConversationsData,
  type MessagesData,
} from '../src/index.js';
import type { OutboxEntry } from '@parley/client';
import { conv, msg } from './fixtures.js';

const pages = (...seqs: number[][]): MessagesData => ({
  pages: seqs.map((s, i) => ({ items: s.map((n) => msg('c', n)), hasMore: i === 0 })),
  pageParams: seqs.map((_, i) => (i === seqs.length - 1 ? null : 0)),
});
const seqs = (d: MessagesData | undefined) => flattenMessages(d).map((m) => m.seq);

describe('messages', () => {
  it('appends live messages to the latest page, in seq order, each once', () => {
    let d: MessagesData | undefined = pages([1, 2], [3, 4]);
    d = insertMessage(d, msg('c', 6));
    d = insertMessage(d, msg('c', 5));
    d = insertMessage(d, msg('c', 6));
    d = insertMessage(d, msg('c', 4));
    expect(seqs(d)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d!.pages[1]!.items.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
  });

  it('returns the same data when the message is already there, and leaves data not loaded alone', () => {
    const d = pages([1, 2]);
    expect(insertMessage(d, msg('c', 2))).toBe(d);
    expect(insertMessage(undefined, msg('c', 1))).toBeUndefined();
  });

  it('does not put a message below the oldest loaded one while older pages remain', () => {
    const d = pages([5, 6], [7]);
    expect(insertMessage(d, msg('c', 3))).toBe(d);
  });

  it('applies edits and deletions, and never undoes a deletion', () => {
    let d: MessagesData | undefined = pages([1, 2, 3]);
    d = replaceMessage(d, msg('c', 2, { content: 'edited', editedAt: '2026-01-02T00:00:00Z' }));
    d = replaceMessage(d, msg('c', 3, { content: null, deletedAt: '2026-01-02T00:00:00Z' }));
    d = insertMessage(d, msg('c', 3)); // a late replay of the original
    expect(flattenMessages(d).map((m) => m.content)).toEqual(['message 1', 'edited', null]);
  });

  it('shows outbox entries after the messages, without those already stored', () => {
    const entry = (id: string, createdAt: number, status: OutboxEntry['status'] = 'pending'): OutboxEntry => ({
      clientMessageId: id, ref: `send-${id}`, conversationId: 'c', content: id, status, createdAt, attempts: 0,
    });
    const t = timeline([msg('c', 1, { clientMessageId: 'a' })], [entry('c2', 2), entry('a', 1), entry('b', 1, 'failed')]);
    expect(t.map((i) => i.key)).toEqual(['c-m1', 'b', 'c2']);
  });
});

describe('conversations', () => {
  const list = (...items: ReturnType<typeof conv>[]): ConversationsData => ({
    pages: [{ items, nextCursor: 'x' }, { items: [], nextCursor: null }],
    pageParams: [null, 'x'],
  });

  it('a new message moves its conversation to the top (below the pinned support one) with lastMessage and unread', () => {
    const support = conv('s', { type: 'support', pinned: true });
    let d: ConversationsData | undefined = list(support, conv('a'), conv('b'));
    d = { ...d, pages: [d.pages[0]!, { items: [conv('z')], nextCursor: null }] };
    const m = msg('z', 1);
    d = updateConversationInList(d, 'z', (c) => applyMessage(c, m, 'alice'), true);
    expect(flattenConversations(d).map((c) => c.id)).toEqual(['s', 'z', 'a', 'b']);
    const z = flattenConversations(d)[1]!;
    expect(z.lastMessage?.id).toBe(m.id);
    expect(z.unreadCount).toBe(1);
  });

  it("the caller's own message reads the conversation for them", () => {
    const c = applyMessage(conv('a', { lastSeq: 3, readSeq: 1, unreadCount: 2 }), msg('a', 4, { senderId: 'alice' }), 'alice');
    expect([c.lastSeq, c.readSeq, c.unreadCount]).toEqual([4, 4, 0]);
  });

  it('an older message changes nothing', () => {
    const c = conv('a', { lastSeq: 5 });
    expect(applyMessage(c, msg('a', 4), 'alice')).toBe(c);
  });

  it('support conversations follow awaitingReply, answeredBy and awaitingSince', () => {
    let c = conv('s', { type: 'support', awaitingSince: null });
    c = applyMessage(c, msg('s', 1), 'admin1');
    expect(c.awaitingReply).toBe(true);
    expect(c.awaitingSince).toBe(msg('s', 1).createdAt);
    c = applyMessage(c, msg('s', 2), 'admin1');
    expect(c.awaitingSince).toBe(msg('s', 1).createdAt);
    c = applyMessage(c, msg('s', 3, { senderRole: 'admin', senderId: 'admin1' }), 'admin1');
    expect([c.awaitingReply, c.answeredBy, c.awaitingSince]).toEqual([false, 'admin1', null]);
  });

  it('unread and read events set the counts', () => {
    const c = conv('a', { lastSeq: 5, readSeq: 2, unreadCount: 3 });
    expect(applyUnreadCount(c, 0)).toMatchObject({ unreadCount: 0, readSeq: 5 });
    expect(applyOwnRead(c, 4)).toMatchObject({ unreadCount: 1, readSeq: 4 });
    expect(applyOwnRead(c, 1)).toBe(c);
    expect(applyUnread({ total: 3, conversations: { a: 3 } }, 'a', 0, 0)).toEqual({ total: 0, conversations: {} });
  });

  it('insertAtTop puts a new conversation first, once', () => {
    const d = insertAtTop(list(conv('a'), conv('b')), conv('b', { title: 'new' }));
    expect(flattenConversations(d).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('the unanswered filter lists the one waiting longest first', () => {
    const a = conv('a', { type: 'support', awaitingReply: true, awaitingSince: '2026-01-01T10:00:00Z' });
    const b = conv('b', { type: 'support', awaitingReply: true, lastMessage: msg('b', 1) }); // 2026-01-01T00:00:01Z
    const c = conv('c', { type: 'support', awaitingReply: false });
    expect(sortUnanswered([a, b, c]).map((x) => x.id)).toEqual(['b', 'a']);
    expect(waitingSince(c)).toBeNull();
  });
});

describe('reads, typing', () => {
  it('read positions only move forward; seenBy leaves the caller out', () => {
    let r = applyRead(undefined, 'bob', 3);
    r = applyRead(r, 'bob', 2);
    r = applyRead(r, 'alice', 9);
    expect(r).toEqual({ bob: 3, alice: 9 });
    expect(seenBy(r, 3, 'alice')).toEqual(['bob']);
    expect(seenBy(r, 4, 'alice')).toEqual([]);
  });

  it('typing start and stop', () => {
    let t = applyTyping(undefined, 'bob', 'start');
    t = applyTyping(t, 'bob', 'start');
    expect(t).toEqual(['bob']);
    expect(applyTyping(t, 'bob', 'stop')).toEqual([]);
  });
});

describe('a list read again', () => {
  it('keeps the live state of a conversation the server has not caught up with', async () => {
    const { mergeRefetchedConversations } = await import('../src/index.js');
    const live = conv('a', { lastSeq: 5, readSeq: 3, unreadCount: 2, lastMessage: msg('a', 5) });
    const stale = conv('a', { lastSeq: 4, readSeq: 3, unreadCount: 1, lastMessage: msg('a', 4) });
    const fresh = conv('b', { lastSeq: 2 });
    const old: ConversationsData = { pages: [{ items: [live], nextCursor: null }], pageParams: [null] };
    const next: ConversationsData = { pages: [{ items: [fresh, stale], nextCursor: null }], pageParams: [null] };
    const merged = mergeRefetchedConversations(old, next);
    expect(flattenConversations(merged).map((c) => [c.id, c.lastSeq, c.unreadCount])).toEqual([['b', 2, 0], ['a', 5, 2]]);
    const same: ConversationsData = { pages: [{ items: [conv('a', { lastSeq: 6 })], nextCursor: null }], pageParams: [null] };
    expect(mergeRefetchedConversations(old, same)).toBe(same);
  });
});

describe('unread frames out of order', () => {
  it('an older count of a conversation and an older total are ignored', () => {
    const seen = { total: Number.NEGATIVE_INFINITY, conversations: new Map<string, number>() };
    let d = { total: 5, conversations: { x: 2, y: 3 } } as ReturnType<typeof applyUnread>;
    const apply = (c: string, count: number, total: number, at?: string) => {
      const news = unreadNews(seen, c, at);
      if (news.count) d = applyUnread(d, c, count, news.total ? total : undefined);
      else if (news.total && d) d = { ...d, total };
    };
    // the removal from y (count 0, newer) arrives before y's older count
    apply('y', 0, 2, '2026-12-01T10:00:02.000Z');
    apply('y', 4, 6, '2026-12-01T10:00:01.000Z');
    expect(d).toEqual({ total: 2, conversations: { x: 2 } });
    // x's count is news even though its total is older than the last applied one
    apply('x', 1, 9, '2026-12-01T10:00:01.500Z');
    expect(d).toEqual({ total: 2, conversations: { x: 1 } });
    // newer for both
    apply('x', 0, 0, '2026-12-01T10:00:03.000Z');
    expect(d).toEqual({ total: 0, conversations: {} });
    // a frame without at is applied as it comes
    apply('z', 1, 1);
    expect(d).toEqual({ total: 1, conversations: { z: 1 } });
  });
});
