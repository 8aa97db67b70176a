/**
 * Against a real running stack: skipped unless PARLEY_TEST_GATEWAY (the gateway's address, e.g.
 * http://localhost:8080) and PARLEY_TEST_TOKENS (a JSON array of at least two JWTs of different users, or an object
 * whose first two values are) are set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import {
  createParleyClient,
  decodeJwt,
  MemoryOutboxStorage,
  type Message,
  type ParleyClient,
  type WebSocketConstructor,
} from '../src/index.js';

const gateway = process.env.PARLEY_TEST_GATEWAY;
const tokensJson = process.env.PARLEY_TEST_TOKENS;

function tokens(): [string, string] {
  const parsed = JSON.parse(tokensJson!) as unknown;
  const list = (Array.isArray(parsed) ? parsed : Object.values(parsed as Record<string, unknown>)).filter(
    (t): t is string => typeof t === 'string',
  );
  if (list.length < 2) throw new Error('PARLEY_TEST_TOKENS needs two tokens');
  return [list[0]!, list[1]!];
}

const until = async (what: () => boolean, ms: number, label: string) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(!gateway || !tokensJson)('against the running stack', () => {
  const clients: ParleyClient[] = [];
  afterAll(() => {
    for (const c of clients) c.close();
  });

  it('two users chat; the recipient socket is killed mid-way; every message arrives once, in order', async () => {
    const [tokenA, tokenB] = tokens();
    const userB = decodeJwt(tokenB)?.sub;
    expect(userB).toBeTruthy();
    const bSockets: WS[] = [];
    class CapturingWS extends WS {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        bSockets.push(this);
      }
    }
    const make = (token: string, Ctor: WebSocketConstructor) => {
      const c = createParleyClient({
        baseUrl: gateway!,
        getToken: async () => token,
        WebSocket: Ctor,
        storage: new MemoryOutboxStorage(),
        networkEvents: null,
      });
      clients.push(c);
      return c;
    };
    const a = make(tokenA, WS);
    const conversation = await a.api.createDirectConversation(userB!);
    const start = conversation.lastSeq;
    a.track(conversation.id, start);
    const b = make(tokenB, CapturingWS);
    b.track(conversation.id, start);
    const got: Array<{ seq: number; content: string | null }> = [];
    b.on('message.created', ({ message }) => {
      if (message.conversationId === conversation.id) got.push({ seq: message.seq, content: message.content });
    });
    const sent = new Map<string, number>();
    a.on('outbox', (e) => {
      if (e.status === 'sent') sent.set(e.clientMessageId, (sent.get(e.clientMessageId) ?? 0) + 1);
      if (e.status === 'failed') throw new Error(`send failed: ${e.error?.code} ${e.error?.message}`);
    });
    await until(() => a.state === 'open' && b.state === 'open', 15_000, 'both connections');

    const n = 30;
    const tag = `it-${Date.now()}`;
    for (let i = 1; i <= n; i++) {
      a.send(conversation.id, `${tag} ${i}`);
      if (i === 10) bSockets.at(-1)!.terminate(); // the recipient's connection dies mid-way
      await new Promise((r) => setTimeout(r, 60));
    }
    await until(() => sent.size === n, 20_000, 'every ack');
    await until(() => got.length >= n, 20_000, 'every message at the recipient');
    await new Promise((r) => setTimeout(r, 500)); // nothing more may come
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: n }, (_, i) => start + i + 1));
    expect(got.map((m) => m.content)).toEqual(Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`));
    expect([...sent.values()].every((count) => count === 1)).toBe(true);
    expect(bSockets.length).toBeGreaterThanOrEqual(2);
    const history = await b.api.listMessages(conversation.id, { afterSeq: start, limit: 200 });
    expect(history.items.map((m) => m.content)).toEqual(got.map((m) => m.content));
  }, 60_000);

  it('a file is uploaded, sent by id over the socket, seen and downloaded by the other participant; cancels delete', async () => {
    const [tokenA, tokenB] = tokens();
    const userB = decodeJwt(tokenB)?.sub;
    const make = (token: string) => {
      const c = createParleyClient({
        baseUrl: gateway!,
        getToken: async () => token,
        WebSocket: WS as unknown as WebSocketConstructor,
        storage: new MemoryOutboxStorage(),
        networkEvents: null,
      });
      clients.push(c);
      return c;
    };
    const a = make(tokenA);
    const b = make(tokenB);
    const conversation = await a.api.createDirectConversation(userB!);
    a.track(conversation.id, conversation.lastSeq);
    b.track(conversation.id, conversation.lastSeq);
    const received: Message[] = [];
    b.on('message.created', ({ message }) => {
      if (message.conversationId === conversation.id) received.push(message);
    });
    await until(() => a.state === 'open' && b.state === 'open', 15_000, 'both connections');

    const bytes = new TextEncoder().encode(`${'0123456789'.repeat(30)} ${Date.now()}`);
    const progress: number[] = [];
    const up = await a.uploadAttachment(conversation.id, { name: '../../notes.txt', data: bytes }, {
      onProgress: (sent) => progress.push(sent),
    });
    expect(up).toMatchObject({ conversationId: conversation.id, name: 'notes.txt', size: bytes.length, url: `/api/attachments/${up.id}` });
    expect(up.contentType).toMatch(/^text\/plain/);
    expect(progress.length).toBeGreaterThan(0);
    // not attached yet: only its uploader may take it back
    await expect(b.api.deleteAttachment(up.id)).rejects.toMatchObject({ status: 404 });

    const entry = a.send(conversation.id, '', { attachments: [up] });
    await until(() => received.some((m) => m.clientMessageId === entry.clientMessageId), 15_000, 'the message with the file');
    const m = received.find((x) => x.clientMessageId === entry.clientMessageId)!;
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ id: up.id, name: 'notes.txt', size: bytes.length, sha256: up.sha256 });
    const blob = await b.api.fetchAttachment(m.attachments[0]!);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    const part = await b.api.fetchAttachment(up.id, { range: { start: 100, end: 199 } });
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100, 200));
    expect(await b.api.getAttachment(up.id)).toMatchObject({ id: up.id, sha256: up.sha256 });
    await expect(a.api.deleteAttachment(up.id)).rejects.toMatchObject({ status: 409 });

    // taken back before sending: gone for everyone
    const spare = await a.uploadAttachment(conversation.id, { name: 'spare.txt', data: 'spare' });
    await a.api.deleteAttachment(spare.id);
    await expect(a.api.fetchAttachment(spare.id)).rejects.toMatchObject({ status: 404 });
    // cancelled before it started: nothing was sent
    const ctl = new AbortController();
    ctl.abort();
    await expect(a.uploadAttachment(conversation.id, { name: 'x.txt', data: 'x' }, { signal: ctl.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  }, 60_000);
});
