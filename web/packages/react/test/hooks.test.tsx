import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { createParleyClient, MemoryOutboxStorage, type Conversation, type Message, type ParleyClient } from '@parley/client';
import {
  ParleyProvider,
  createParleyQueryClient,
  useConnectionState,
  useConversations,
  useMessages,
  useReadReceipts,
  useSend,
  useSupportDesk,
  useTyping,
  useUnreadTotal,
} from '../src/index.js';
import { conv, fakeWebSocket, msg, settle, token, type FakeSocket } from './fixtures.js';

interface Server {
  conversations: Conversation[];
  messages: Map<string, Message[]>;
  unread: { total: number; conversations: Record<string, number> };
  calls: string[];
  /** The latest page is answered as it was before this seq (a read that the server answered before a send). */
  latestCap?: number;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function fakeFetch(server: Server) {
  return async (input: string): Promise<Response> => {
    const url = new URL(input);
    server.calls.push(url.pathname + url.search);
    const p = url.pathname;
    const q = url.searchParams;
    if (p === '/api/conversations') {
      const filter = q.get('filter');
      const items = server.conversations.filter((c) =>
        filter === 'support' ? c.type === 'support' : filter === 'unanswered' ? c.type === 'support' && c.awaitingReply : true,
      );
      const offset = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 20);
      return json({ items: items.slice(offset, offset + limit), nextCursor: offset + limit < items.length ? String(offset + limit) : null });
    }
    if (p === '/api/unread') return json(server.unread);
    let m = /^\/api\/conversations\/([^/]+)$/.exec(p);
    if (m) {
      const c = server.conversations.find((x) => x.id === m![1]);
      return c ? json(c) : json({ status: 404, title: 'Not Found' }, 404);
    }
    m = /^\/api\/conversations\/([^/]+)\/messages$/.exec(p);
    if (m) {
      const all = server.messages.get(m[1]!) ?? [];
      const limit = Number(q.get('limit') ?? 50);
      if (q.has('afterSeq')) {
        const after = all.filter((x) => x.seq > Number(q.get('afterSeq')));
        return json({ items: after.slice(0, limit), hasMore: after.length > limit });
      }
      const before = q.has('beforeSeq')
        ? all.filter((x) => x.seq < Number(q.get('beforeSeq')))
        : all.filter((x) => server.latestCap === undefined || x.seq <= server.latestCap);
      return json({ items: before.slice(-limit), hasMore: before.length > limit });
    }
    return json({ status: 404 }, 404);
  };
}

let client: ParleyClient | undefined;
afterEach(() => client?.close());

function setup(server: Server) {
  const ws = fakeWebSocket();
  client = createParleyClient({
    baseUrl: 'http://parley.test',
    getToken: async () => token('alice'),
    WebSocket: ws.Ctor,
    storage: new MemoryOutboxStorage(),
    fetch: fakeFetch(server),
    networkEvents: null,
    autoConnect: false,
    uuid: (() => {
      let n = 0;
      return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    })(),
    logger: { warn: () => {}, debug: () => {} },
  });
  const qc = createParleyQueryClient();
  const c = client;
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <ParleyProvider client={c} queryClient={qc}>
      {children}
    </ParleyProvider>
  );
  const socket = async (): Promise<FakeSocket> => {
    await waitFor(() => expect(ws.sockets.length).toBeGreaterThan(0));
    const s = ws.sockets[ws.sockets.length - 1]!;
    if (s.readyState === 0) act(() => s.accept('alice'));
    return s;
  };
  return { client: c, qc, wrapper, socket };
}

const newServer = (): Server => ({ conversations: [], messages: new Map(), unread: { total: 0, conversations: {} }, calls: [] });

describe('useConversations', () => {
  it('moves a conversation to the top on a new message, sets unread counts, and learns new conversations', async () => {
    const server = newServer();
    server.conversations = [conv('s', { type: 'support', pinned: true, participants: ['alice'] }), conv('a'), conv('b')];
    const { wrapper, socket } = setup(server);
    const { result } = renderHook(() => ({ list: useConversations(), total: useUnreadTotal() }), { wrapper });
    await waitFor(() => expect(result.current.list.conversations).toHaveLength(3));
    const s = await socket();

    await act(async () => { s.deliver({ type: 'message.created', message: msg('b', 1) }); await settle(); });
    expect(result.current.list.conversations.map((c) => c.id)).toEqual(['s', 'b', 'a']);
    expect(result.current.list.conversations[1]!.unreadCount).toBe(1);

    await act(async () => { s.deliver({ type: 'unread', conversationId: 'b', count: 0, total: 0 }); await settle(); });
    expect(result.current.list.conversations[1]!.unreadCount).toBe(0);
    await act(async () => { s.deliver({ type: 'unread', conversationId: 'a', count: 4, total: 4 }); await settle(); });
    expect(result.current.total).toBe(4);
    expect(result.current.list.conversations.find((c) => c.id === 'a')!.unreadCount).toBe(4);

    // a conversation the list does not have: read and put first (below the pinned one)
    server.conversations.push(conv('n', { lastSeq: 1 }));
    await act(async () => { s.deliver({ type: 'message.created', message: msg('n', 1) }); await settle(); });
    await waitFor(() => expect(result.current.list.conversations.map((c) => c.id)).toEqual(['s', 'n', 'b', 'a']));
  });

  it('follows conversation.created and participant changes: the list gains, updates and drops conversations', async () => {
    const server = newServer();
    server.conversations = [conv('s', { type: 'support', pinned: true, participants: ['alice'] }), conv('a')];
    const { wrapper, socket } = setup(server);
    const { result } = renderHook(() => useConversations(), { wrapper });
    await waitFor(() => expect(result.current.conversations).toHaveLength(2));
    const s = await socket();

    const summary = { id: 'g', type: 'group' as const, title: 'Team', participants: ['bob', 'alice'], createdBy: 'bob', createdAt: '2026-01-02T00:00:00Z' };
    await act(async () => { s.deliver({ type: 'conversation.created', conversation: summary }); await settle(); });
    expect(result.current.conversations.map((c) => c.id)).toEqual(['s', 'g', 'a']);
    const g = result.current.conversations[1]!;
    expect(g).toMatchObject({ title: 'Team', lastSeq: 0, unreadCount: 0, pinned: false, muted: false, awaitingSince: null });

    await act(async () => {
      s.deliver({ type: 'participant.added', conversationId: 'g', userId: 'cy', participants: ['bob', 'alice', 'cy'] });
      await settle();
    });
    expect(result.current.conversations[1]!.participants).toEqual(['bob', 'alice', 'cy']);
    await act(async () => {
      s.deliver({ type: 'participant.removed', conversationId: 'g', userId: 'alice', participants: ['bob', 'cy'] });
      await settle();
    });
    expect(result.current.conversations.map((c) => c.id)).toEqual(['s', 'a']);

    // added to a group the list does not have: read and listed
    server.conversations.push(conv('h', { type: 'group', participants: ['dan', 'alice'], lastSeq: 3 }));
    await act(async () => {
      s.deliver({ type: 'participant.added', conversationId: 'h', userId: 'alice', participants: ['dan', 'alice'] });
      await settle();
    });
    await waitFor(() => expect(result.current.conversations.map((c) => c.id)).toContain('h'));
  });
});

describe('names from presence', () => {
  it("a presence frame's name names the user in every cached conversation of theirs that lacks it", async () => {
    const server = newServer();
    server.conversations = [conv('a', { participants: ['alice', 'bob'], names: { alice: 'Alice' } }), conv('b', { participants: ['alice', 'cy'] })];
    const { wrapper, socket } = setup(server);
    const { result } = renderHook(() => useConversations(), { wrapper });
    await waitFor(() => expect(result.current.conversations).toHaveLength(2));
    const s = await socket();
    const before = result.current.conversations;

    await act(async () => { s.deliver({ type: 'presence', userId: 'bob', online: true, lastSeenAt: null, name: 'Bob Builder' }); await settle(); });
    expect(result.current.conversations[0]!.names).toEqual({ alice: 'Alice', bob: 'Bob Builder' });
    expect(result.current.conversations[1]!.names).toBeUndefined();

    // a frame that changes no name leaves the list as it was
    const named = result.current.conversations;
    await act(async () => { s.deliver({ type: 'presence', userId: 'bob', online: false, lastSeenAt: '2026-01-01T00:00:00Z', name: null }); await settle(); });
    await act(async () => { s.deliver({ type: 'presence', userId: 'bob', online: true, lastSeenAt: null, name: 'Bob Builder' }); await settle(); });
    expect(result.current.conversations).toBe(named);
    expect(before).not.toBe(named);
  });
});

describe('useSupportDesk', () => {
  it('keeps the unanswered filter: an admin reply takes a conversation out, a client message puts it back', async () => {
    const server = newServer();
    server.conversations = [
      conv('s1', { type: 'support', awaitingReply: true, awaitingSince: '2026-01-01T10:00:00Z', participants: ['c1'] }),
      conv('s2', { type: 'support', awaitingReply: true, awaitingSince: '2026-01-01T09:00:00Z', participants: ['c2'] }),
    ];
    const { wrapper, socket } = setup(server);
    const { result } = renderHook(() => ({ all: useSupportDesk('support'), todo: useSupportDesk('unanswered') }), { wrapper });
    await waitFor(() => expect(result.current.todo.conversations.map((c) => c.id)).toEqual(['s2', 's1']));
    const s = await socket();
    await act(async () => { s.deliver({ type: 'message.created', message: msg('s2', 1, { senderRole: 'admin', senderId: 'alice' }) }); await settle(); });
    expect(result.current.todo.conversations.map((c) => c.id)).toEqual(['s1']);
    expect(result.current.all.conversations[0]).toMatchObject({ id: 's2', answeredBy: 'alice', awaitingReply: false });
    await act(async () => { s.deliver({ type: 'message.created', message: msg('s2', 2, { senderId: 'c2' }) }); await settle(); });
    // back in the filter, waiting since that message (earlier than s1's wait: first)
    expect(result.current.todo.conversations.map((c) => c.id)).toEqual(['s2', 's1']);
    expect(result.current.todo.conversations[0]!.awaitingSince).toBe(msg('s2', 2).createdAt);
  });
});

describe('useSupportDesk paging', () => {
  it('reads every page of the unanswered filter, then lists the longest wait first', async () => {
    const server = newServer();
    server.conversations = ['10', '08', '09'].map((h, i) =>
      conv(`s${i}`, { type: 'support', awaitingReply: true, awaitingSince: `2026-01-01T${h}:00:00Z`, participants: [`c${i}`] }),
    );
    const { wrapper } = setup(server);
    const { result } = renderHook(() => useSupportDesk('unanswered', { limit: 1 }), { wrapper });
    await waitFor(() => expect(result.current.conversations.map((c) => c.id)).toEqual(['s1', 's2', 's0']));
    expect(result.current.hasMore).toBe(false);
  });
});

describe('useMessages', () => {
  it('merges history, live messages (once, in order), older pages and the outbox', async () => {
    const server = newServer();
    server.conversations = [conv('c')];
    server.messages.set('c', [1, 2, 3, 4, 5].map((n) => msg('c', n)));
    const { client, wrapper, socket } = setup(server);
    const { result } = renderHook(() => ({ m: useMessages('c', { pageSize: 3 }), send: useSend('c'), state: useConnectionState() }), { wrapper });
    await waitFor(() => expect(result.current.m.messages.map((x) => x.seq)).toEqual([3, 4, 5]));
    expect(client.lastSeq('c')).toBe(5);
    const s = await socket();
    expect(result.current.state).toBe('resuming'); // the conversation was tracked before the socket opened
    await act(async () => { s.deliver({ type: 'resumed', ref: s.sent.find((f) => f.type === 'resume')!.ref as string }); await settle(); });
    expect(result.current.state).toBe('open');

    // live, with a duplicate and one out of order (the client's sequencer holds 7 until 6 came)
    await act(async () => {
      s.deliver({ type: 'message.created', message: msg('c', 7) });
      s.deliver({ type: 'message.created', message: msg('c', 6) });
      s.deliver({ type: 'message.created', message: msg('c', 6) });
      await settle();
    });
    expect(result.current.m.messages.map((x) => x.seq)).toEqual([3, 4, 5, 6, 7]);

    await act(() => result.current.m.loadOlder());
    await waitFor(() => expect(result.current.m.messages.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]));
    expect(result.current.m.hasOlder).toBe(false);

    // the caller's send: pending at once, then the stored message, once
    let cmid = '';
    await act(async () => {
      cmid = result.current.send.send('hello').clientMessageId;
      await settle();
    });
    expect(result.current.m.items.at(-1)).toMatchObject({ kind: 'outbox', entry: { status: 'pending', content: 'hello' } });
    const sendFrame = s.sent.find((f) => f.type === 'send')!;
    const stored = msg('c', 8, { senderId: 'alice', clientMessageId: cmid, content: 'hello' });
    await act(async () => { s.deliver({ type: 'ack', ref: sendFrame.ref as string, message: stored }); await settle(); });
    await act(async () => { s.deliver({ type: 'message.created', message: stored }); await settle(); });
    expect(result.current.m.items.map((i) => i.key).slice(-2)).toEqual(['c-m7', 'c-m8']);
    expect(result.current.m.outbox).toEqual([]);

    // edits and deletions
    await act(async () => { s.deliver({ type: 'message.updated', message: msg('c', 4, { content: 'fixed', editedAt: '2026-02-01T00:00:00Z' }) }); await settle(); });
    await act(async () => { s.deliver({ type: 'message.deleted', message: msg('c', 5, { content: null, deletedAt: '2026-02-01T00:00:00Z' }) }); await settle(); });
    expect(result.current.m.messages.map((x) => x.content).slice(3, 5)).toEqual(['fixed', null]);
  });

  it('keeps a message that arrives while the latest page is on its way', async () => {
    const server = newServer();
    server.conversations = [conv('c')];
    server.messages.set('c', [msg('c', 1)]);
    const { wrapper, socket } = setup(server);
    const s = await (async () => {
      renderHook(() => useConnectionState(), { wrapper });
      return socket();
    })();
    server.messages.set('c', [msg('c', 1), msg('c', 2)]);
    server.latestCap = 1;
    await act(async () => { s.deliver({ type: 'message.created', message: msg('c', 2) }); await settle(); });
    const { result } = renderHook(() => useMessages('c'), { wrapper });
    // the latest page said 1, the client already held 2: the hook reads what lies after 1
    await waitFor(() => expect(result.current.messages.map((m) => m.seq)).toEqual([1, 2]));
    expect(server.calls).toContain('/api/conversations/c/messages?afterSeq=1&limit=200');
  });
});

describe('typing and receipts', () => {
  it('shows who is typing, sends start at most every few seconds, and keeps read positions', async () => {
    const server = newServer();
    server.conversations = [conv('c')];
    const { wrapper, socket } = setup(server);
    const { result } = renderHook(() => ({ t: useTyping('c'), r: useReadReceipts('c') }), { wrapper });
    const s = await socket();
    await act(async () => { s.deliver({ type: 'typing', conversationId: 'c', userId: 'bob', state: 'start' }); await settle(); });
    expect(result.current.t.typing).toEqual(['bob']);
    await act(async () => { s.deliver({ type: 'message.created', message: msg('c', 1) }); await settle(); });
    expect(result.current.t.typing).toEqual([]);

    act(() => {
      result.current.t.signal('start');
      result.current.t.signal('start');
      result.current.t.signal('stop');
    });
    expect(s.sent.filter((f) => f.type === 'typing').map((f) => f.state)).toEqual(['start', 'stop']);

    await act(async () => { s.deliver({ type: 'read', conversationId: 'c', userId: 'bob', seq: 1 }); await settle(); });
    expect(result.current.r.seenBy(1)).toEqual(['bob']);
    await act(async () => { result.current.r.markRead(1); await settle(); });
    expect(s.sent.find((f) => f.type === 'read')).toMatchObject({ conversationId: 'c', seq: 1 });
    await settle();
  });
});
