import { describe, expect, it, vi } from 'vitest';
import { ParleyApi, ParleyApiError, isParleyApiError, parseRetryAfter } from '../src/index.js';

type Call = { url: string; method: string; headers: Record<string, string>; body?: unknown };

function api(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const call: Call = {
      url,
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      ...(init?.body ? { body: JSON.parse(init.body as string) } : {}),
    };
    calls.push(call);
    return answer(call);
  });
  let n = 0;
  const getToken = vi.fn(async () => `token-${++n}`);
  return { api: new ParleyApi({ baseUrl: 'https://gw.test/', getToken, fetch }), calls, getToken };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('ParleyApi', () => {
  it('calls every endpoint with the right method, path, body and token', async () => {
    const t = api((c) => (c.method === 'DELETE' || c.url.includes('/read') || c.method === 'PUT' ? new Response(null, { status: 204 }) : json({ items: [], nextCursor: null, hasMore: false, publicKey: 'K', id: 's1' })));
    const a = t.api;
    await a.listConversations();
    await a.listConversations({ limit: 5, cursor: 'abc', filter: 'unanswered' });
    await a.getConversation('c/1');
    await a.getSupportConversation();
    await a.createDirectConversation('bob');
    await a.createGroupConversation(['bob', 'carol'], 'Team');
    await a.addParticipant('c1', 'dave');
    await a.removeParticipant('c1', 'dave');
    await a.listMessages('c1');
    await a.listMessages('c1', { afterSeq: 3, limit: 200 });
    await a.listMessages('c1', { beforeSeq: 10 });
    await a.sendMessage('c1', { clientMessageId: 'id-1', content: 'hi' });
    await a.editMessage('c1', 'm1', 'edited');
    await a.deleteMessage('c1', 'm1');
    await a.markRead('c1', 9);
    await a.getUnread();
    await a.createPushSubscription({ kind: 'fcm', token: 'tok' });
    await a.deletePushSubscription('s1');
    expect(await a.getVapidPublicKey()).toBe('K');
    expect(await a.listMutes()).toEqual([]);
    await a.mute('c1', '2030-01-01T00:00:00Z');
    await a.mute('c2');
    await a.unmute('c1');
    expect(t.calls.map((c) => `${c.method} ${c.url.replace('https://gw.test', '')}${c.body ? ` ${JSON.stringify(c.body)}` : ''}`)).toEqual([
      'GET /api/conversations',
      'GET /api/conversations?limit=5&cursor=abc&filter=unanswered',
      'GET /api/conversations/c%2F1',
      'GET /api/conversations/support',
      'POST /api/conversations {"type":"direct","participants":["bob"]}',
      'POST /api/conversations {"type":"group","participants":["bob","carol"],"title":"Team"}',
      'POST /api/conversations/c1/participants {"userId":"dave"}',
      'DELETE /api/conversations/c1/participants/dave',
      'GET /api/conversations/c1/messages',
      'GET /api/conversations/c1/messages?afterSeq=3&limit=200',
      'GET /api/conversations/c1/messages?beforeSeq=10',
      'POST /api/conversations/c1/messages {"clientMessageId":"id-1","content":"hi"}',
      'PATCH /api/conversations/c1/messages/m1 {"content":"edited"}',
      'DELETE /api/conversations/c1/messages/m1',
      'POST /api/conversations/c1/read {"seq":9}',
      'GET /api/unread',
      'POST /api/push/subscriptions {"kind":"fcm","token":"tok"}',
      'DELETE /api/push/subscriptions/s1',
      'GET /api/push/vapid-public-key',
      'GET /api/push/mutes',
      'PUT /api/push/mutes/c1 {"until":"2030-01-01T00:00:00Z"}',
      'PUT /api/push/mutes/c2 {}',
      'DELETE /api/push/mutes/c1',
    ]);
    expect(t.calls[0]!.headers.Authorization).toBe('Bearer token-1');
  });

  it('makes a clientMessageId when a REST send has none', async () => {
    const t = api(() => json({}, 201));
    await t.api.sendMessage('c1', { content: 'hi' });
    expect((t.calls[0]!.body as { clientMessageId: string }).clientMessageId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('pages through the conversation list', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ id: 'a' }], nextCursor: 'p2' },
      p2: { items: [{ id: 'b' }], nextCursor: null },
    };
    const t = api((c) => json(pages[new URL(c.url).searchParams.get('cursor') ?? '']));
    const ids: string[] = [];
    for await (const page of t.api.conversationPages({ limit: 1 })) ids.push(...page.items.map((x) => x.id));
    expect(ids).toEqual(['a', 'b']);
  });

  it('turns problem+json into a ParleyApiError, with Retry-After', async () => {
    const t = api(() =>
      json({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down' }, 429, {
        'Retry-After': '3',
      }),
    );
    const e = await t.api.getUnread().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParleyApiError);
    expect(isParleyApiError(e, 429)).toBe(true);
    expect(e).toMatchObject({ status: 429, title: 'Too Many Requests', detail: 'slow down', retryAfter: 3 });
    const t2 = api(() => new Response('oops', { status: 502, statusText: 'Bad Gateway' }));
    await expect(t2.api.getUnread()).rejects.toMatchObject({ status: 502, title: 'Bad Gateway', detail: '' });
  });

  it('retries a 401 once with a fresh token', async () => {
    let first = true;
    const t = api(() => {
      if (first) {
        first = false;
        return json({ title: 'Unauthorized', status: 401 }, 401);
      }
      return json({ total: 0, conversations: {} });
    });
    expect(await t.api.getUnread()).toEqual({ total: 0, conversations: {} });
    expect(t.calls.map((c) => c.headers.Authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(t.getToken.mock.calls[1]).toEqual([{ forceRefresh: true }]);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
