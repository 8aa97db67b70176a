import { useInfiniteQuery, useQuery, useQueryClient, type UseInfiniteQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type {
  ConnectionState,
  Conversation,
  ConversationPage,
  Message,
  MessagePage,
  OutboxEntry,
  SendOptions,
  UnreadCounts,
} from '@parley/client';
import { parleyKeys, type DeskFilter } from './bind.js';
import {
  applyOwnRead,
  applyRead,
  flattenConversations,
  flattenMessages,
  findConversation,
  mergeRefetchedConversations,
  replaceMessage,
  seenBy as seenByOf,
  sortUnanswered,
  timeline,
  updateConversationInList,
  type ConversationsData,
  type MessagesData,
  type PresenceMap,
  type ReadPositions,
  type TimelineItem,
} from './cache.js';
import { useParleyClient } from './provider.js';

const EMPTY_OUTBOX: OutboxEntry[] = [];
const EMPTY_LIST: string[] = [];

/** What {@link useConversations} and {@link useSupportDesk} give. */
export interface ConversationListResult {
  /** The conversations loaded so far, in order. */
  conversations: Conversation[];
  /** `pending` until the first page came, then `success` or `error`. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last read, if it failed. */
  error: Error | null;
  /** More pages follow. */
  hasMore: boolean;
  /** Reads the next page. */
  loadMore: () => void;
  /** A next page is being read. */
  loadingMore: boolean;
  /** Reads the list again from its first page. */
  refresh: () => void;
}

function listResult(
  q: UseInfiniteQueryResult<ConversationsData, Error>,
  conversations: Conversation[],
): ConversationListResult {
  return {
    conversations,
    status: q.status,
    error: q.error,
    hasMore: q.hasNextPage,
    loadMore: () => void q.fetchNextPage(),
    loadingMore: q.isFetchingNextPage,
    refresh: () => void q.refetch(),
  };
}

/**
 * The caller's conversations, latest activity first (a client's or expert's support conversation first), with
 * cursor paging. Kept live: a new message moves its conversation to the top (below the pinned support one) with its
 * `lastMessage` and `unreadCount`; `unread` and `read` events set the counts; a conversation not listed yet is read
 * and put first.
 */
export function useConversations(options: { limit?: number } = {}): ConversationListResult {
  const client = useParleyClient();
  const q = useInfiniteQuery<ConversationPage, Error, ConversationsData, readonly unknown[], string | null>({
    queryKey: parleyKeys.conversations(),
    queryFn: ({ pageParam, signal }) =>
      client.api.listConversations({ limit: options.limit ?? 30, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    structuralSharing: (old, next) =>
      mergeRefetchedConversations(old as ConversationsData | undefined, next as ConversationsData),
  });
  const conversations = useMemo(() => flattenConversations(q.data), [q.data]);
  return listResult(q, conversations);
}

/**
 * The support desk (admins): `support` lists every support conversation, latest activity first; `unanswered`
 * those whose last message is not from an admin, the one waiting longest first (`awaitingSince`, else the last
 * message's time; the server lists them in that order too; every page is read, up to `maxPages`, default 20, so that
 * the live changes merged into the cache keep one order).
 * Kept live like {@link useConversations}; an admin's reply takes a conversation out of `unanswered`, a client's
 * message puts it in.
 */
export function useSupportDesk(
  filter: DeskFilter = 'support',
  options: { limit?: number; enabled?: boolean; maxPages?: number } = {},
): ConversationListResult {
  const client = useParleyClient();
  const q = useInfiniteQuery<ConversationPage, Error, ConversationsData, readonly unknown[], string | null>({
    queryKey: parleyKeys.desk(filter),
    queryFn: ({ pageParam, signal }) =>
      client.api.listConversations(
        { filter, limit: options.limit ?? (filter === 'unanswered' ? 100 : 50), ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      ),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: options.enabled ?? true,
    structuralSharing: (old, next) =>
      mergeRefetchedConversations(old as ConversationsData | undefined, next as ConversationsData),
  });
  const conversations = useMemo(() => {
    const all = flattenConversations(q.data);
    return filter === 'unanswered' ? sortUnanswered(all) : all;
  }, [q.data, filter]);
  // the server lists the oldest wait first; the unanswered filter reads every page (up to maxPages) so that a
  // conversation whose wait starts again (it moves to the end) is found where the live events put it
  const pages = q.data?.pages.length ?? 0;
  const { hasNextPage, isFetching, fetchNextPage } = q;
  useEffect(() => {
    if (filter === 'unanswered' && hasNextPage && !isFetching && pages < (options.maxPages ?? 20)) void fetchNextPage();
  }, [filter, hasNextPage, isFetching, pages, fetchNextPage, options.maxPages]);
  return listResult(q, conversations);
}

/** One conversation (`GET /api/conversations/{id}`), seeded from the list when it is there, and kept live. */
export function useConversation(id: string | null | undefined) {
  const client = useParleyClient();
  const qc = useQueryClient();
  return useQuery({
    queryKey: parleyKeys.conversation(id ?? ''),
    queryFn: ({ signal }) => client.api.getConversation(id!, signal),
    enabled: !!id,
    initialData: () =>
      id
        ? (findConversation(qc.getQueryData<ConversationsData>(parleyKeys.conversations()), id) ??
          findConversation(qc.getQueryData<ConversationsData>(parleyKeys.desk('support')), id))
        : undefined,
    initialDataUpdatedAt: () => qc.getQueryState(parleyKeys.conversations())?.dataUpdatedAt,
  });
}

/** What {@link useMessages} gives. */
export interface MessagesResult {
  /** Messages and the caller's outbox entries (pending or failed) in display order. */
  items: TimelineItem[];
  /** The stored messages loaded, ascending by seq (edits and deletions applied). */
  messages: Message[];
  /** The caller's outbox entries of this conversation (pending and failed). */
  outbox: OutboxEntry[];
  /** `pending` until the latest page came, then `success` or `error`. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last read. */
  error: Error | null;
  /** Older messages exist. */
  hasOlder: boolean;
  /** Reads the page before the oldest loaded message. */
  loadOlder: () => Promise<unknown>;
  /** An older page is being read. */
  loadingOlder: boolean;
  /** The highest seq loaded (0 before any). */
  lastSeq: number;
}

/**
 * A conversation's history and live messages: the latest page first, older pages with `loadOlder()` (`beforeSeq`),
 * live messages (exactly once, in seq order: the client's ordered stream) merged in by seq, edits and deletions
 * applied, and the caller's outbox entries after them with their state. Loading the conversation makes the client
 * track it, so every reconnect resumes it from the highest seq held.
 */
export function useMessages(id: string | null | undefined, options: { pageSize?: number } = {}): MessagesResult {
  const client = useParleyClient();
  const limit = options.pageSize ?? 50;
  const q = useInfiniteQuery<MessagePage, Error, MessagesData, readonly unknown[], number | null>({
    queryKey: parleyKeys.messages(id ?? ''),
    enabled: !!id,
    staleTime: Infinity,
    refetchOnMount: false,
    refetchOnReconnect: false,
    initialPageParam: null,
    queryFn: async ({ pageParam, signal }): Promise<MessagePage> => {
      const cid = id!;
      if (pageParam !== null) return client.api.listMessages(cid, { beforeSeq: pageParam, limit }, signal);
      const page = await client.api.listMessages(cid, { limit }, signal);
      let items = page.items;
      // messages delivered while the page was on its way (the client tracks a conversation from its first live
      // message): read what lies between, so the cache holds them
      let last = items[items.length - 1]?.seq ?? 0;
      for (let guard = 0; guard < 20; guard++) {
        const held = client.lastSeq(cid);
        if (held === undefined || held <= last) break;
        const more = await client.api.listMessages(cid, { afterSeq: last, limit: 200 }, signal);
        const fresh = more.items.filter((m) => m.seq > last);
        if (fresh.length === 0) break;
        items = [...items, ...fresh];
        last = items[items.length - 1]!.seq;
      }
      client.track(cid, last);
      return { items, hasMore: page.hasMore };
    },
    getNextPageParam: () => undefined,
    getPreviousPageParam: (first) => (first.hasMore && first.items[0] ? first.items[0].seq : undefined),
  });
  const outboxQuery = useQuery({
    queryKey: parleyKeys.outbox(),
    queryFn: () => client.outbox(),
    staleTime: Infinity,
  });
  const all = outboxQuery.data ?? EMPTY_OUTBOX;
  const outbox = useMemo(() => (id ? all.filter((e) => e.conversationId === id) : EMPTY_OUTBOX), [all, id]);
  const messages = useMemo(() => flattenMessages(q.data), [q.data]);
  const items = useMemo(() => timeline(messages, outbox), [messages, outbox]);
  return {
    items,
    messages,
    outbox,
    status: q.status,
    error: q.error,
    hasOlder: q.hasPreviousPage,
    loadOlder: () => q.fetchPreviousPage(),
    loadingOlder: q.isFetchingPreviousPage,
    lastSeq: messages[messages.length - 1]?.seq ?? 0,
  };
}

/** What {@link useSend} gives. */
export interface SendActions {
  /**
   * Writes a message through the outbox; it shows at once in {@link useMessages} as pending. `options.attachments`:
   * uploads of this conversation ({@link useUploads}' `attachments`), at most 10; `content` may then be empty.
   */
  send: (content: string, options?: SendOptions) => OutboxEntry;
  /** Sends a failed entry again (same clientMessageId). */
  retry: (clientMessageId: string) => boolean;
  /** Drops a pending or failed entry. */
  discard: (clientMessageId: string) => boolean;
  /** Edits one of the caller's messages (`PATCH`); the cache takes the answer at once. */
  edit: (messageId: string, content: string) => Promise<Message>;
  /** Deletes a message (`DELETE`: the sender's own, or any in a support conversation for an admin). */
  remove: (messageId: string) => Promise<void>;
}

/** Sending, retrying, editing and deleting in one conversation. */
export function useSend(id: string): SendActions {
  const client = useParleyClient();
  const qc = useQueryClient();
  return useMemo<SendActions>(
    () => ({
      send: (content, options) => client.send(id, content, options),
      retry: (cmid) => client.retry(cmid),
      discard: (cmid) => client.discard(cmid),
      edit: async (messageId, content) => {
        const m = await client.api.editMessage(id, messageId, content);
        qc.setQueryData<MessagesData>(parleyKeys.messages(id), (d) => replaceMessage(d, m));
        return m;
      },
      remove: async (messageId) => {
        await client.api.deleteMessage(id, messageId);
        const now = new Date().toISOString();
        qc.setQueryData<MessagesData>(parleyKeys.messages(id), (d) => {
          const m = flattenMessages(d).find((x) => x.id === messageId);
          return m && !m.deletedAt ? replaceMessage(d, { ...m, content: null, attachments: [], deletedAt: now }) : d;
        });
      },
    }),
    [client, qc, id],
  );
}

/** What {@link useTyping} gives. */
export interface TypingResult {
  /** The users typing in the conversation now (the caller left out). */
  typing: string[];
  /**
   * Signals the caller's own typing: call `signal('start')` on each keystroke (a `start` goes at most every 3 s)
   * and `signal('stop')` when the text is sent or cleared (sent only after a start).
   */
  signal: (state: 'start' | 'stop') => void;
}

/** Who is typing in a conversation, and a function to signal one's own typing. */
export function useTyping(id: string | null | undefined, options: { restartMs?: number } = {}): TypingResult {
  const client = useParleyClient();
  const restart = options.restartMs ?? 3_000;
  const q = useQuery({
    queryKey: parleyKeys.typing(id ?? ''),
    queryFn: () => [] as string[],
    enabled: !!id,
    staleTime: Infinity,
  });
  const sentAt = useRef(0);
  const signal = useCallback(
    (state: 'start' | 'stop') => {
      if (!id) return;
      const now = Date.now();
      if (state === 'start') {
        if (now - sentAt.current < restart) return;
        if (client.typing(id, 'start')) sentAt.current = now;
      } else if (sentAt.current !== 0) {
        sentAt.current = 0;
        client.typing(id, 'stop');
      }
    },
    [client, id, restart],
  );
  useEffect(() => () => signal('stop'), [signal]);
  return { typing: q.data ?? EMPTY_LIST, signal };
}

/** What is known of these users' presence (from `presence` events since the app started; unknown: absent). */
export function usePresence(userIds: readonly string[]): PresenceMap {
  const q = useQuery({
    queryKey: parleyKeys.presence(),
    queryFn: () => ({}) as PresenceMap,
    staleTime: Infinity,
  });
  const key = userIds.join('\u0000');
  const data = q.data;
  return useMemo(() => {
    const out: PresenceMap = {};
    for (const u of userIds) {
      const p = data?.[u];
      if (p) out[u] = p;
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, key]);
}

/** What {@link useReadReceipts} gives. */
export interface ReadReceiptsResult {
  /** Read positions seen in `read` events: userId → seq. */
  positions: ReadPositions;
  /** The users other than the caller who have read up to `seq`. */
  seenBy: (seq: number) => string[];
  /** Marks the conversation read up to `seq` (by the socket when connected, else REST); the cache follows at once. */
  markRead: (seq: number) => void;
}

/** "Seen" receipts of a conversation, and marking it read. */
export function useReadReceipts(id: string | null | undefined): ReadReceiptsResult {
  const client = useParleyClient();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: parleyKeys.reads(id ?? ''),
    // where each reader is now (so "seen" survives a reload), merged with the read events that came meanwhile:
    // positions only move forward
    queryFn: async ({ signal }) => {
      const fetched = await client.api.getReadPositions(id!, signal);
      let merged = qc.getQueryData<ReadPositions>(parleyKeys.reads(id!)) ?? ({} as ReadPositions);
      for (const [user, seq] of Object.entries(fetched)) merged = applyRead(merged, user, seq);
      return merged;
    },
    enabled: !!id,
    staleTime: Infinity,
  });
  const positions = q.data ?? {};
  const markRead = useCallback(
    (seq: number) => {
      if (!id) return;
      client.markRead(id, seq).catch(() => {});
      for (const key of [parleyKeys.conversations(), parleyKeys.desk('support'), parleyKeys.desk('unanswered')]) {
        qc.setQueryData<ConversationsData>(key, (d) => updateConversationInList(d, id, (c) => applyOwnRead(c, seq)));
      }
      qc.setQueryData<Conversation>(parleyKeys.conversation(id), (c) => (c ? applyOwnRead(c, seq) : c));
    },
    [client, qc, id],
  );
  return { positions, seenBy: (seq) => seenByOf(positions, seq, client.userId), markRead };
}

/** The caller's unread total (`GET /api/unread`, then `unread` events). */
export function useUnreadTotal(): number {
  const client = useParleyClient();
  const q = useQuery<UnreadCounts>({
    queryKey: parleyKeys.unread(),
    queryFn: ({ signal }) => client.api.getUnread(signal),
  });
  return q.data?.total ?? 0;
}

/** The connection's state: `connecting`, `open`, `resuming` or `offline`. */
export function useConnectionState(): ConnectionState {
  const client = useParleyClient();
  const subscribe = useCallback((onChange: () => void) => client.subscribeState(() => onChange()), [client]);
  return useSyncExternalStore(
    subscribe,
    () => client.state,
    () => client.state,
  );
}
