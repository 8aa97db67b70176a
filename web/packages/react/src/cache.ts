/**
 * The pure functions that apply Parley's live events to the query cache's data. Each takes the data as it is
 * (possibly `undefined`: not loaded) and returns the new data, or the same object when nothing changed.
 *
 * @packageDocumentation
 */
import type { InfiniteData } from '@tanstack/react-query';
import type { Conversation, ConversationPage, Message, MessagePage, OutboxEntry, UnreadCounts } from '@parley/client';

/** The conversation list (and the support desk): pages from `GET /api/conversations`, latest activity first. */
export type ConversationsData = InfiniteData<ConversationPage, string | null>;
/** A conversation's history: pages in ascending seq order, the oldest first; the last page is the latest one. */
export type MessagesData = InfiniteData<MessagePage, number | null>;
/** Read positions of the participants of one conversation, from `read` events: userId → seq. */
export type ReadPositions = Record<string, number>;
/** What is known of users' presence, from `presence` events. */
export type PresenceMap = Record<string, { online: boolean; lastSeenAt: string | null }>;

/** One line of a conversation's timeline: a stored message, or one of the caller's outbox entries. */
export type TimelineItem =
  | { kind: 'message'; key: string; message: Message }
  | { kind: 'outbox'; key: string; entry: OutboxEntry };

// --- messages ----------------------------------------------------------------------------------------------------

function insertSorted(items: Message[], message: Message): Message[] {
  const i = items.findIndex((m) => m.seq >= message.seq);
  if (i === -1) return [...items, message];
  const at = items[i]!;
  if (at.seq === message.seq) {
    if (sameMessage(at, message)) return items;
    const copy = items.slice();
    copy[i] = newer(at, message);
    return copy;
  }
  const copy = items.slice();
  copy.splice(i, 0, message);
  return copy;
}

function sameMessage(a: Message, b: Message): boolean {
  return a.id === b.id && a.content === b.content && a.editedAt === b.editedAt && a.deletedAt === b.deletedAt;
}

/** Of two versions of a message, the one to keep: a deletion wins, then the later edit. */
function newer(old: Message, next: Message): Message {
  if (old.deletedAt && !next.deletedAt) return old;
  if (!old.deletedAt && next.deletedAt) return next;
  if ((old.editedAt ?? '') > (next.editedAt ?? '')) return old;
  return next;
}

/**
 * Puts a new message (live, replayed, or from an ack) in its place by seq. A message already there (same seq) is
 * kept once: the newer version of the two. Messages above every loaded page go to the latest page.
 */
export function insertMessage(data: MessagesData | undefined, message: Message): MessagesData | undefined {
  if (!data || data.pages.length === 0) return data;
  const pages = data.pages;
  let target = pages.length - 1;
  for (let p = 0; p < pages.length; p++) {
    const items = pages[p]!.items;
    const last = items[items.length - 1];
    if (last && message.seq <= last.seq) {
      target = p;
      break;
    }
  }
  const page = pages[target]!;
  // below the oldest loaded page, with older ones still to load: it will come with them
  if (target === 0 && page.items[0] && message.seq < page.items[0].seq && page.hasMore) return data;
  const items = insertSorted(page.items, message);
  if (items === page.items) return data;
  const nextPages = pages.slice();
  nextPages[target] = { ...page, items };
  return { ...data, pages: nextPages };
}

/** Replaces a message that is loaded (an edit or a deletion); nothing when it is not. */
export function replaceMessage(data: MessagesData | undefined, message: Message): MessagesData | undefined {
  if (!data) return data;
  for (let p = 0; p < data.pages.length; p++) {
    const page = data.pages[p]!;
    const i = page.items.findIndex((m) => m.id === message.id || m.seq === message.seq);
    if (i === -1) continue;
    const kept = newer(page.items[i]!, message);
    if (kept === page.items[i]) return data;
    const items = page.items.slice();
    items[i] = kept;
    const pages = data.pages.slice();
    pages[p] = { ...page, items };
    return { ...data, pages };
  }
  return data;
}

/** Every loaded message, ascending by seq. */
export function flattenMessages(data: MessagesData | undefined): Message[] {
  return data ? data.pages.flatMap((p) => p.items) : [];
}

/**
 * The timeline of a conversation: its messages by seq, then the caller's outbox entries (pending or failed) in the
 * order they were written. An entry whose message is already shown (its ack or `message.created` came) is left out.
 */
export function timeline(messages: Message[], outbox: OutboxEntry[]): TimelineItem[] {
  const stored = new Set(messages.map((m) => m.clientMessageId));
  const items: TimelineItem[] = messages.map((m) => ({ kind: 'message', key: m.id, message: m }));
  for (const e of [...outbox].sort((a, b) => a.createdAt - b.createdAt)) {
    if (e.status === 'sent' || stored.has(e.clientMessageId)) continue;
    items.push({ kind: 'outbox', key: e.clientMessageId, entry: e });
  }
  return items;
}

// --- conversations -----------------------------------------------------------------------------------------------

/**
 * A conversation after a new message: `lastMessage`, `lastSeq`, the caller's unread count (`lastSeq - readSeq`;
 * the sender's own position moves to its message), and on support conversations `awaitingReply`, `answeredBy` and
 * `awaitingSince`.
 */
export function applyMessage(c: Conversation, m: Message, me: string | undefined): Conversation {
  if (m.seq < c.lastSeq) return c;
  if (m.seq === c.lastSeq && c.lastMessage && c.lastMessage.id === m.id) {
    const lastMessage = newer(c.lastMessage, m);
    return lastMessage === c.lastMessage ? c : { ...c, lastMessage };
  }
  const lastSeq = m.seq;
  const readSeq = me !== undefined && m.senderId === me ? Math.max(c.readSeq, m.seq) : c.readSeq;
  const next: Conversation = {
    ...c,
    lastMessage: m,
    lastSeq,
    readSeq,
    unreadCount: Math.max(0, lastSeq - readSeq),
  };
  if (c.type === 'support') {
    const fromAdmin = m.senderRole === 'admin';
    next.awaitingReply = !fromAdmin;
    if (fromAdmin) next.answeredBy = m.senderId;
    if ('awaitingSince' in c || !fromAdmin) {
      next.awaitingSince = fromAdmin ? null : c.awaitingReply && c.awaitingSince ? c.awaitingSince : m.createdAt;
    }
  }
  return next;
}

/** A conversation whose `lastMessage` is this message gets its new version (an edit or a deletion). */
export function applyMessageChange(c: Conversation, m: Message): Conversation {
  if (!c.lastMessage || c.lastMessage.id !== m.id) return c;
  const lastMessage = newer(c.lastMessage, m);
  return lastMessage === c.lastMessage ? c : { ...c, lastMessage };
}

/** The caller's unread count in a conversation, from an `unread` event. */
export function applyUnreadCount(c: Conversation, count: number): Conversation {
  if (c.unreadCount === count) return c;
  return { ...c, unreadCount: count, readSeq: Math.max(0, c.lastSeq - count) };
}

/** The caller's own read position moved (a `read` event of the caller, from any of their devices). */
export function applyOwnRead(c: Conversation, seq: number): Conversation {
  const readSeq = Math.max(c.readSeq, Math.min(seq, c.lastSeq));
  if (readSeq === c.readSeq) return c;
  return { ...c, readSeq, unreadCount: Math.max(0, c.lastSeq - readSeq) };
}

/** Finds a conversation in the list's pages. */
export function findConversation(data: ConversationsData | undefined, id: string): Conversation | undefined {
  if (!data) return undefined;
  for (const page of data.pages) {
    const c = page.items.find((x) => x.id === id);
    if (c) return c;
  }
  return undefined;
}

/**
 * Changes one conversation of the list with `update`; with `moveToTop`, it becomes the first item of the first
 * page (a new message). A caller's pinned support conversation stays first: what moves to the top goes just below
 * the pinned ones. The same data comes back when the conversation is not there or nothing changed.
 */
export function updateConversationInList(
  data: ConversationsData | undefined,
  id: string,
  update: (c: Conversation) => Conversation,
  moveToTop = false,
): ConversationsData | undefined {
  if (!data) return data;
  let found: Conversation | undefined;
  let pageIndex = -1;
  for (let p = 0; p < data.pages.length && !found; p++) {
    const c = data.pages[p]!.items.find((x) => x.id === id);
    if (c) {
      found = c;
      pageIndex = p;
    }
  }
  if (!found) return data;
  const updated = update(found);
  if (!moveToTop) {
    if (updated === found) return data;
    const pages = data.pages.slice();
    const page = pages[pageIndex]!;
    pages[pageIndex] = { ...page, items: page.items.map((x) => (x.id === id ? updated : x)) };
    return { ...data, pages };
  }
  const pages = data.pages.map((page) => ({ ...page, items: page.items.filter((x) => x.id !== id) }));
  return insertAtTop({ ...data, pages }, updated);
}

/** Puts a conversation first in the list (below the pinned ones), removing any other copy of it. */
export function insertAtTop(data: ConversationsData | undefined, c: Conversation): ConversationsData | undefined {
  if (!data) return data;
  const pages = data.pages.map((page) => ({ ...page, items: page.items.filter((x) => x.id !== c.id) }));
  if (pages.length === 0) pages.push({ items: [], nextCursor: null });
  const first = pages[0]!;
  const items = first.items.slice();
  let at = 0;
  if (!c.pinned) while (at < items.length && items[at]!.pinned) at++;
  items.splice(at, 0, c);
  pages[0] = { ...first, items };
  return { ...data, pages };
}

/** Removes a conversation from the list (the caller left it or was removed). */
export function removeConversation(data: ConversationsData | undefined, id: string): ConversationsData | undefined {
  if (!data || !findConversation(data, id)) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((x) => x.id !== id) })) };
}

/** Every conversation of the list's pages, each once (the first occurrence), in list order. */
export function flattenConversations(data: ConversationsData | undefined): Conversation[] {
  if (!data) return [];
  const seen = new Set<string>();
  const out: Conversation[] = [];
  for (const page of data.pages) {
    for (const c of page.items) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
    }
  }
  return out;
}

/** Since when the client of a support conversation has been waiting: `awaitingSince`, else the last message's time. */
export function waitingSince(c: Conversation): string | null {
  if (!c.awaitingReply) return null;
  return c.awaitingSince ?? c.lastMessage?.createdAt ?? c.createdAt;
}

/** Support conversations awaiting a reply, the one waiting longest first. */
export function sortUnanswered(items: Conversation[]): Conversation[] {
  return items
    .filter((c) => c.awaitingReply)
    .sort((a, b) => (waitingSince(a) ?? '').localeCompare(waitingSince(b) ?? ''));
}

// --- unread, reads, typing, presence ---------------------------------------------------------------------------

/** The caller's unread counts after an `unread` event; `total` undefined leaves the total as it is. */
export function applyUnread(
  data: UnreadCounts | undefined,
  conversationId: string,
  count: number,
  total: number | undefined,
): UnreadCounts | undefined {
  if (!data) return data;
  const conversations = { ...data.conversations };
  if (count > 0) conversations[conversationId] = count;
  else delete conversations[conversationId];
  return { total: total ?? data.total, conversations };
}

/**
 * Which parts of an `unread` frame are news: frames of different conversations (and a removal's `count` 0) may
 * arrive out of order, so the latest `at` applied is kept per conversation (for `count`) and overall (for `total`),
 * and what is older is ignored. A frame without `at` is always applied. Mutates `seen`.
 */
export function unreadNews(
  seen: { total: number; conversations: Map<string, number> },
  conversationId: string,
  at: string | undefined,
): { count: boolean; total: boolean } {
  const t = at === undefined ? Number.NaN : Date.parse(at);
  if (Number.isNaN(t)) return { count: true, total: true };
  const count = t >= (seen.conversations.get(conversationId) ?? Number.NEGATIVE_INFINITY);
  const total = t >= seen.total;
  if (count) seen.conversations.set(conversationId, t);
  if (total) seen.total = t;
  return { count, total };
}

/** A reader's position moved forward (positions never move back). */
export function applyRead(data: ReadPositions | undefined, userId: string, seq: number): ReadPositions {
  const current = data?.[userId];
  if (data && current !== undefined && current >= seq) return data;
  return { ...data, [userId]: seq };
}

/** Who is typing after a `typing` event. */
export function applyTyping(data: string[] | undefined, userId: string, state: 'start' | 'stop'): string[] {
  const list = data ?? [];
  const has = list.includes(userId);
  if (state === 'start') return has ? list : [...list, userId];
  return has ? list.filter((u) => u !== userId) : list;
}

/** The users who have read up to `seq` or further, the caller left out. */
export function seenBy(reads: ReadPositions | undefined, seq: number, me: string | undefined): string[] {
  if (!reads) return [];
  return Object.entries(reads)
    .filter(([u, s]) => u !== me && s >= seq)
    .map(([u]) => u);
}

/**
 * The list read again (after a reconnect) against what live events had already applied: the server's read model
 * follows messages by a few milliseconds, so a conversation that the cache knows at a higher `lastSeq` keeps its
 * live state (last message, counts). Used as the queries' `structuralSharing`.
 */
export function mergeRefetchedConversations(
  old: ConversationsData | undefined,
  next: ConversationsData,
): ConversationsData {
  if (!old) return next;
  const known = new Map(flattenConversations(old).map((c) => [c.id, c]));
  let changed = false;
  const pages = next.pages.map((page) => ({
    ...page,
    items: page.items.map((c) => {
      const live = known.get(c.id);
      if (!live || live.lastSeq <= c.lastSeq) return c;
      changed = true;
      return {
        ...c,
        lastMessage: live.lastMessage,
        lastSeq: live.lastSeq,
        readSeq: Math.max(c.readSeq, live.readSeq),
        unreadCount: Math.max(0, live.lastSeq - Math.max(c.readSeq, live.readSeq)),
        awaitingReply: live.awaitingReply,
        answeredBy: live.answeredBy,
        ...('awaitingSince' in live ? { awaitingSince: live.awaitingSince ?? null } : {}),
      };
    }),
  }));
  return changed ? { ...next, pages } : next;
}
