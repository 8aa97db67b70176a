import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeToken, msg, settle } from './helpers.js';
import { makeClient } from './setup.js';

describe('connection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects to /ws with the token in the subprotocol pair and goes open on welcome', async () => {
    const t = makeClient();
    expect(t.client.state).toBe('connecting');
    await settle();
    const s = t.ws.last();
    expect(s.url).toBe('ws://gw.test/ws');
    expect(s.protocols).toEqual([
      'bearer-token-carrier',
      encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${t.tokens[0]}`),
    ]);
    s.accept('alice', 'conn-1');
    expect(t.client.state).toBe('open');
    expect(t.client.userId).toBe('alice');
    expect(t.client.connectionId).toBe('conn-1');
    expect(s.sent).toEqual([]); // nothing to resume on a first connection with nothing tracked
    const seen: string[] = [];
    const off = t.client.subscribeState((st) => seen.push(st));
    off();
    expect(seen).toEqual(['open']);
    t.client.close();
    expect(t.client.state).toBe('offline');
  });

  it('can carry the token in a header or the query instead', async () => {
    const h = makeClient({ tokenTransport: 'header' });
    await settle();
    expect(h.ws.last().options).toEqual({ headers: { Authorization: `Bearer ${h.tokens[0]}` } });
    h.client.close();
    const q = makeClient({ tokenTransport: 'query' });
    await settle();
    expect(q.ws.last().url).toBe(`ws://gw.test/ws?access_token=${encodeURIComponent(q.tokens[0]!)}`);
    q.client.close();
  });

  it('reconnects at once after a working connection drops, with ?resume=1 and resume as the first frame', async () => {
    const t = makeClient();
    t.client.track('c1', 4);
    t.client.track('c2', 0);
    await settle();
    // tracked conversations: even the first connection resumes
    expect(t.ws.last().url).toBe('ws://gw.test/ws?resume=1');
    t.ws.last().accept();
    expect(t.ws.last().sent[0]).toMatchObject({ type: 'resume', positions: { c1: 4, c2: 0 } });
    t.ws.last().deliver({ type: 'resumed', ref: t.ws.last().sent[0]!.ref as string });
    t.ws.last().deliver({ type: 'message.created', message: msg('c1', 5) });
    t.ws.last().deliver({ type: 'message.created', message: msg('c2', 1) });
    await settle(2_000);
    t.states.length = 0;
    t.ws.last().serverClose(1006);
    await settle();
    expect(t.ws.sockets.length).toBe(2);
    const s2 = t.ws.last();
    expect(s2.url).toBe('ws://gw.test/ws?resume=1');
    s2.accept();
    expect(t.client.state).toBe('resuming');
    expect(s2.sent[0]).toMatchObject({ type: 'resume', positions: { c1: 5, c2: 1 } });
    // the replay repeats what this client already has: dropped
    s2.deliver({ type: 'message.created', message: msg('c1', 5) });
    s2.deliver({ type: 'message.created', message: msg('c1', 6) });
    s2.deliver({ type: 'resumed', ref: s2.sent[0]!.ref as string });
    expect(t.client.state).toBe('open');
    expect(t.states).toEqual(['connecting', 'resuming', 'open']);
    expect(t.delivered.map((m) => `${m.conversationId}:${m.seq}`)).toEqual(['c1:5', 'c2:1', 'c1:6']);
    t.client.close();
  });

  it('resumes after every reconnect even with nothing tracked', async () => {
    const t = makeClient();
    await settle();
    t.ws.last().accept();
    await settle(1_500);
    t.ws.last().serverClose(1013, 'too slow: reconnect and resume');
    await settle();
    const s2 = t.ws.last();
    expect(s2.url).toContain('resume=1');
    s2.accept();
    expect(s2.sent[0]).toMatchObject({ type: 'resume', positions: {} });
    t.client.close();
  });

  it('on 1008 token expired fetches a fresh token before connecting again', async () => {
    const t = makeClient();
    await settle();
    t.ws.last().accept();
    await settle(1_500);
    expect(t.getToken).toHaveBeenCalledTimes(1);
    t.ws.last().serverClose(1008, 'token expired');
    await settle();
    expect(t.getToken).toHaveBeenCalledTimes(2);
    expect(t.getToken.mock.calls[1]![0]).toEqual({ forceRefresh: true });
    expect(t.ws.last().protocols).toContain(
      encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${t.tokens[1]}`),
    );
    // a plain drop does not ask for a fresh one
    t.ws.last().accept();
    await settle(1_500);
    t.ws.last().serverClose(1006);
    await settle();
    expect(t.getToken.mock.calls[2]![0]).toBeUndefined();
    t.client.close();
  });

  it('backs off with jitter after failed upgrades, and waits for Retry-After on a 503', async () => {
    const t = makeClient(); // random() = 0.5
    await settle();
    t.ws.last().refuse(); // the first retry is at once
    await settle();
    expect(t.ws.sockets.length).toBe(2);
    expect(t.client.state).toBe('connecting');
    t.ws.last().refuse(); // then 0.5 * 250
    await settle();
    expect(t.client.state).toBe('offline');
    await settle(124);
    expect(t.ws.sockets.length).toBe(2);
    await settle(1);
    expect(t.ws.sockets.length).toBe(3);
    t.ws.last().refuse(); // 0.5 * 500
    await settle(249);
    expect(t.ws.sockets.length).toBe(3);
    await settle(1);
    expect(t.ws.sockets.length).toBe(4);
    t.ws.last().refuse(503); // 0.5 * 1000 = 500, but the gateway says one second
    await settle(999);
    expect(t.ws.sockets.length).toBe(4);
    await settle(1);
    expect(t.ws.sockets.length).toBe(5);
    // a 401 upgrade asks for a fresh token
    t.ws.last().refuse(401);
    await settle(10_000);
    expect(t.getToken.mock.calls.at(-1)![0]).toEqual({ forceRefresh: true });
    t.ws.last().accept();
    expect(t.client.state).toBe('open'); // never welcomed before and nothing tracked: no resume
    t.client.close();
  });

  it('caps the delay', async () => {
    const t = makeClient({ random: () => 0.999, backoff: { baseMs: 100, capMs: 1_000 } });
    await settle();
    for (let i = 0; i < 8; i++) {
      t.ws.last().refuse();
      await settle(1_000);
    }
    expect(t.ws.sockets.length).toBe(9);
    t.client.close();
  });

  it('takes a connection with no answer to its ping for dead and reconnects', async () => {
    const t = makeClient();
    await settle();
    const s = t.ws.last();
    s.autoPong = false;
    s.accept();
    await settle(10_000);
    expect(s.framesOf('ping').length).toBe(1);
    s.deliver({ type: 'pong' });
    await settle(10_000);
    expect(s.framesOf('ping').length).toBe(2);
    expect(t.ws.sockets.length).toBe(1);
    await settle(4_999);
    expect(t.ws.sockets.length).toBe(1);
    await settle(1);
    expect(t.ws.sockets.length).toBe(2);
    expect(s.closedByClient?.code).toBe(4004);
    expect(t.ws.last().url).toContain('resume=1');
    t.client.close();
  });

  it('drops a socket with no welcome after the connect timeout', async () => {
    const t = makeClient({ connectTimeoutMs: 3_000 });
    await settle();
    await settle(3_000);
    expect(t.ws.sockets.length).toBe(2);
    t.client.close();
  });

  it('sends auth with a fresh token before the current one expires', async () => {
    let n = 0;
    const lifetime = 300; // s
    const t = makeClient({
      getToken: vi.fn(async () => makeToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + lifetime, n: ++n })),
    });
    await settle();
    const s = t.ws.last();
    s.accept();
    // a 300 s token is renewed 60 s before it expires
    await settle(239_000);
    expect(s.framesOf('auth').length).toBe(0);
    await settle(1_000);
    const auth = s.framesOf('auth');
    expect(auth.length).toBe(1);
    expect(auth[0]!.token).not.toBe(undefined);
    s.deliver({ type: 'pong' });
    s.deliver({ type: 'authenticated', ref: auth[0]!.ref as string, expiresAt: '2026-01-01T00:09:00Z' });
    await settle(240_000);
    expect(s.framesOf('auth').length).toBe(2);
    // the server refuses it: reconnect with a fresh token
    const a2 = s.framesOf('auth')[1]!;
    s.deliver({ type: 'error', ref: a2.ref as string, code: 'unauthorized', message: 'The token is not valid.' });
    await settle();
    expect(t.ws.sockets.length).toBe(2);
    t.client.close();
  });

  it('follows the browser network events', async () => {
    const net = new EventTarget();
    const t = makeClient({ networkEvents: net as never });
    await settle();
    t.ws.last().accept();
    await settle(2_000);
    net.dispatchEvent(new Event('offline'));
    expect(t.client.state).toBe('offline');
    await settle(5_000);
    expect(t.ws.sockets.length).toBe(1); // waits for `online`
    net.dispatchEvent(new Event('online'));
    await settle();
    expect(t.ws.sockets.length).toBe(2);
    expect(t.client.state).toBe('connecting');
    t.client.close();
  });

  it('stops resuming a conversation the server answers not_found for', async () => {
    const t = makeClient();
    t.client.track('gone', 3);
    t.client.track('kept', 1);
    await settle();
    const s = t.ws.last();
    s.accept();
    const ref = s.sent[0]!.ref as string;
    const errors: string[] = [];
    t.client.on('error', (e) => errors.push(`${e.code}:${e.conversationId}`));
    s.deliver({ type: 'error', ref, code: 'not_found', message: 'No such conversation.', conversationId: 'gone' });
    s.deliver({ type: 'resumed', ref });
    expect(errors).toEqual(['not_found:gone']);
    expect(t.client.positions()).toEqual({ kept: 1 });
    t.client.close();
  });

  it('fills a gap in live messages from the history before delivering', async () => {
    const t = makeClient();
    t.history.set('c', [1, 2, 3, 4, 5].map((s) => msg('c', s)));
    t.client.track('c', 1);
    await settle();
    const s = t.ws.last();
    s.accept();
    s.deliver({ type: 'resumed', ref: s.sent[0]!.ref as string });
    s.deliver({ type: 'message.created', message: msg('c', 4) });
    s.deliver({ type: 'message.created', message: msg('c', 5) });
    expect(t.delivered).toEqual([]);
    await settle();
    expect(t.calls).toEqual(['http://gw.test/api/conversations/c/messages?afterSeq=1&limit=200']);
    expect(t.delivered.map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    s.deliver({ type: 'message.created', message: msg('c', 3) });
    s.deliver({ type: 'message.created', message: msg('c', 6) });
    expect(t.delivered.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);
    t.client.close();
  });

  it('passes every other frame through as a typed event', async () => {
    const t = makeClient();
    await settle();
    const s = t.ws.last();
    const got: string[] = [];
    for (const type of [
      'message.updated',
      'message.deleted',
      'typing',
      'presence',
      'read',
      'unread',
      'pong',
      'welcome',
    ] as const) {
      t.client.on(type, (f) => got.push(f.type));
    }
    s.accept();
    s.deliver({ type: 'message.updated', message: msg('c', 1, { editedAt: 'x' }) });
    s.deliver({ type: 'message.deleted', message: msg('c', 1, { content: null }) });
    s.deliver({ type: 'typing', conversationId: 'c', userId: 'bob', state: 'start' });
    s.deliver({ type: 'presence', userId: 'bob', online: true, lastSeenAt: null });
    s.deliver({ type: 'read', conversationId: 'c', userId: 'bob', seq: 1 });
    s.deliver({ type: 'unread', conversationId: 'c', count: 0, total: 0 });
    s.deliver({ type: 'pong' });
    expect(got).toEqual([
      'welcome',
      'message.updated',
      'message.deleted',
      'typing',
      'presence',
      'read',
      'unread',
      'pong',
    ]);
    expect(t.client.typing('c', 'start')).toBe(true);
    await t.client.markRead('c', 1);
    expect(s.sent.map((f) => f.type)).toEqual(['typing', 'read']);
    expect(s.sent[1]).toMatchObject({ conversationId: 'c', seq: 1 });
    t.client.close();
    expect(t.client.typing('c', 'stop')).toBe(false);
  });
});
