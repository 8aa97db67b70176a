/**
 * The query keys of `@parley/react`, and {@link bindParleyCache}: the one place where the client's live events
 * become `setQueryData` calls. The cache is the only copy of the state.
 *
 * @packageDocumentation
 */
import type { QueryClient } from '@tanstack/react-query';
import type { Conversation, Message, OutboxEntry, ParleyClient, UnreadCounts } from '@parley/client';
import {
  applyMessage,
  applyMessageChange,
  applyOwnRead,
  applyRead,
  applyTyping,
  applyUnread,
  applyUnreadCount,
  unreadNews,
  findConversation,
  insertAtTop,
  insertMessage,
  removeConversation,
  replaceMessage,
  updateConversationInList,
  type ConversationsData,
  type MessagesData,
  type PresenceMap,
  type ReadPositions,
} from './cache.js';

/** The support desk's filters (admins): every support conversation, or those awaiting a reply. */
export type DeskFilter = 'support' | 'unanswered';

/** The query keys (all under `['parley']`). */
export const parleyKeys = {
  all: ['parley'] as const,
  conversations: () => ['parley', 'conversations'] as const,
  desk: (filter: DeskFilter) => ['parley', 'desk', filter] as const,
  conversation: (id: string) => ['parley', 'conversation', id] as const,
  messages: (id: string) => ['parley', 'messages', id] as const,
  outbox: () => ['parley', 'outbox'] as const,
  unread: () => ['parley', 'unread'] as const,
  reads: (id: string) => ['parley', 'reads', id] as const,
  typing: (id: string) => ['parley', 'typing', id] as const,
  presence: () => ['parley', 'presence'] as const,
};

/** How long a `typing` start is shown without a new `start` or a `stop` (the gateway stops it itself after 6 s). */
export const TYPING_TIMEOUT_MS = 8_000;

/** Options of {@link bindParleyCache}. */
export interface BindOptions {
  /** The `typing` timeout (default {@link TYPING_TIMEOUT_MS}). */
  typingTimeoutMs?: number;
}

/**
 * Subscribes to the client's events and applies each to the query cache. Returns the unsubscribe. The
 * {@link ParleyProvider} calls it; tests and non-React code may call it directly.
 */
export function bindParleyCache(client: ParleyClient, qc: QueryClient, options: BindOptions = {}): () => void {
  const typingTimeout = options.typingTimeoutMs ?? TYPING_TIMEOUT_MS;
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // the latest `at` of the `unread` frames applied, per conversation and for the total
  const unreadSeen = { total: Number.NEGATIVE_INFINITY, conversations: new Map<string, number>() };
  const fetching = new Set<string>();
  const me = (): string | undefined => client.userId;

  const listKeys = (): Array<readonly unknown[]> => [
    parleyKeys.conversations(),
    parleyKeys.desk('support'),
    parleyKeys.desk('unanswered'),
  ];

  /** Applies `update` to a conversation wherever it is cached. */
  const updateEverywhere = (id: string, update: (c: Conversation) => Conversation, moveToTop = false): boolean => {
    let found = false;
    for (const key of listKeys()) {
      qc.setQueryData<ConversationsData>(key, (d) => {
        if (findConversation(d, id)) found = true;
        return updateConversationInList(d, id, update, moveToTop);
      });
    }
    qc.setQueryData<Conversation>(parleyKeys.conversation(id), (c) => (c ? update(c) : c));
    return found;
  };

  /**
   * Names `userId` in every cached conversation they take part in whose `names` says otherwise (a view read before they
   * came online, or made from a `conversation.created` frame, which has no names).
   */
  const nameEverywhere = (userId: string, name: string): void => {
    const rename = (c: Conversation): Conversation =>
      c.participants.includes(userId) && c.names?.[userId] !== name ? { ...c, names: { ...c.names, [userId]: name } } : c;
    for (const key of listKeys()) {
      qc.setQueryData<ConversationsData>(key, (d) => {
        if (!d || !d.pages.some((p) => p.items.some((c) => rename(c) !== c))) return d;
        return { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.map(rename) })) };
      });
    }
    for (const [key, c] of qc.getQueriesData<Conversation>({ queryKey: ['parley', 'conversation'] })) {
      if (c && rename(c) !== c) qc.setQueryData<Conversation>(key, rename(c));
    }
  };

  /** A conversation the lists do not have yet: read it and put it first where it belongs. */
  const learnConversation = (id: string): void => {
    if (fetching.has(id)) return;
    const wanted = listKeys().some((k) => qc.getQueryData(k) !== undefined);
    if (!wanted) return;
    fetching.add(id);
    client.api
      .getConversation(id)
      .then((c) => addConversation(c))
      .catch(() => {})
      .finally(() => fetching.delete(id));
  };

  const addConversation = (c: Conversation): void => {
    const mine = me();
    const member = mine === undefined || c.participants.includes(mine) || c.type === 'support';
    if (!member) return;
    // a participant's list, and an admin's, which has every support conversation
    qc.setQueryData<ConversationsData>(parleyKeys.conversations(), (d) => insertAtTop(d, c));
    if (c.type === 'support') {
      qc.setQueryData<ConversationsData>(parleyKeys.desk('support'), (d) => insertAtTop(d, c));
      if (c.awaitingReply) qc.setQueryData<ConversationsData>(parleyKeys.desk('unanswered'), (d) => insertAtTop(d, c));
    }
    qc.setQueryData<Conversation>(parleyKeys.conversation(c.id), c);
  };

  const dropConversation = (id: string): void => {
    for (const key of listKeys()) qc.setQueryData<ConversationsData>(key, (d) => removeConversation(d, id));
  };

  const onMessage = (m: Message): void => {
    const id = m.conversationId;
    qc.setQueryData<MessagesData>(parleyKeys.messages(id), (d) => insertMessage(d, m));
    const found = updateEverywhere(id, (c) => applyMessage(c, m, me()), true);
    // the unanswered filter: an admin's reply takes the conversation out
    if (m.senderRole === 'admin') {
      qc.setQueryData<ConversationsData>(parleyKeys.desk('unanswered'), (d) => removeConversation(d, id));
    } else if (qc.getQueryData(parleyKeys.desk('unanswered')) !== undefined) {
      const inDesk = findConversation(qc.getQueryData<ConversationsData>(parleyKeys.desk('unanswered')), id);
      const known =
        findConversation(qc.getQueryData<ConversationsData>(parleyKeys.desk('support')), id) ??
        findConversation(qc.getQueryData<ConversationsData>(parleyKeys.conversations()), id);
      if (!inDesk && known?.type === 'support') {
        qc.setQueryData<ConversationsData>(parleyKeys.desk('unanswered'), (d) => insertAtTop(d, known));
      } else if (!inDesk && !known) learnConversation(id);
    }
    if (!found) learnConversation(id);
    // whoever sent a message has stopped typing
    qc.setQueryData<string[]>(parleyKeys.typing(id), (d) => (d ? applyTyping(d, m.senderId, 'stop') : d));
  };

  const onChange = (m: Message): void => {
    qc.setQueryData<MessagesData>(parleyKeys.messages(m.conversationId), (d) => replaceMessage(d, m));
    updateEverywhere(m.conversationId, (c) => applyMessageChange(c, m));
  };

  const offs = [
    client.on('message.created', ({ message }) => onMessage(message)),
    client.on('message.updated', ({ message }) => onChange(message)),
    client.on('message.deleted', ({ message }) => onChange(message)),
    client.on('outbox', (entry: OutboxEntry) => {
      qc.setQueryData<OutboxEntry[]>(parleyKeys.outbox(), client.outbox());
      if (entry.status === 'sent' && entry.message) onMessage(entry.message);
    }),
    client.on('unread', ({ conversationId, count, total, at }) => {
      const news = unreadNews(unreadSeen, conversationId, at);
      if (!news.count && !news.total) return;
      qc.setQueryData<UnreadCounts>(parleyKeys.unread(), (d) =>
        news.count
          ? applyUnread(d, conversationId, count, news.total ? total : undefined)
          : d && { ...d, total },
      );
      if (news.count) updateEverywhere(conversationId, (c) => applyUnreadCount(c, count));
    }),
    client.on('read', ({ conversationId, userId, seq }) => {
      qc.setQueryData<ReadPositions>(parleyKeys.reads(conversationId), (d) => applyRead(d, userId, seq));
      if (userId === me()) updateEverywhere(conversationId, (c) => applyOwnRead(c, seq));
    }),
    client.on('typing', ({ conversationId, userId, state }) => {
      if (userId === me()) return;
      const timerKey = `${conversationId}\u0000${userId}`;
      clearTimeout(typingTimers.get(timerKey));
      typingTimers.delete(timerKey);
      qc.setQueryData<string[]>(parleyKeys.typing(conversationId), (d) => applyTyping(d, userId, state));
      if (state === 'start') {
        typingTimers.set(
          timerKey,
          setTimeout(() => {
            typingTimers.delete(timerKey);
            qc.setQueryData<string[]>(parleyKeys.typing(conversationId), (d) => applyTyping(d, userId, 'stop'));
          }, typingTimeout),
        );
      }
    }),
    client.on('presence', ({ userId, online, lastSeenAt, name }) => {
      qc.setQueryData<PresenceMap>(parleyKeys.presence(), (d) => ({ ...d, [userId]: { online, lastSeenAt } }));
      if (name) nameEverywhere(userId, name);
    }),
    client.on('conversation.created', ({ conversation: s }) => {
      // a new conversation has no messages yet: its view follows from the summary
      addConversation({
        ...s,
        lastMessage: null,
        lastSeq: 0,
        readSeq: 0,
        unreadCount: 0,
        pinned: s.type === 'support' && s.createdBy === me(),
        muted: false,
        awaitingReply: false,
        answeredBy: null,
        awaitingSince: null,
      });
    }),
    client.on('participant.added', ({ conversationId, userId, participants }) => {
      const found = updateEverywhere(conversationId, (c) => ({ ...c, participants }));
      // added to a group: read it (its messages, counts and own view) and list it
      if (!found && userId === me()) learnConversation(conversationId);
    }),
    client.on('participant.removed', ({ conversationId, userId, participants }) => {
      if (userId === me()) {
        dropConversation(conversationId);
        void qc.invalidateQueries({ queryKey: parleyKeys.conversation(conversationId) });
        return;
      }
      updateEverywhere(conversationId, (c) => ({ ...c, participants }));
    }),
    client.on('error', (frame) => {
      // a resume refused for a conversation: the caller may no longer see it
      if (frame.code === 'not_found' && frame.conversationId && frame.ref?.startsWith('resume')) {
        dropConversation(frame.conversationId);
      }
    }),
    client.on('resumed', () => {
      // back after a cut: messages were resumed by the client; the lists and counts are read again
      void qc.invalidateQueries({ queryKey: parleyKeys.conversations() });
      void qc.invalidateQueries({ queryKey: ['parley', 'desk'] });
      void qc.invalidateQueries({ queryKey: parleyKeys.unread() });
    }),
  ];

  qc.setQueryData<OutboxEntry[]>(parleyKeys.outbox(), client.outbox());
  void client.ready.then(() => qc.setQueryData<OutboxEntry[]>(parleyKeys.outbox(), client.outbox()));

  return () => {
    for (const off of offs) off();
    for (const t of typingTimers.values()) clearTimeout(t);
    typingTimers.clear();
  };
}
