/**
 * The client over real sockets with the `ws` package, against a small stand-in gateway in this process (welcome,
 * resume with ?resume=1, send/ack, message.created to every connection, a history endpoint, a 503 upgrade).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createParleyClient, MemoryOutboxStorage, type Message, type ParleyClient } from '../src/index.js';
import { decodeJwt } from '../src/jwt.js';
import { makeToken, quietLogger } from './helpers.js';

interface Conn {
  ws: WebSocket;
  userId: string;
  holding: boolean;
  held: string[];
}

class StandInGateway {
  readonly server = http.createServer((req, res) => this.rest(req, res));
  readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('bearer-token-carrier') ? 'bearer-token-carrier' : false) });
  readonly conns = new Set<Conn>();
  readonly messages = new Map<string, Message[]>();
  readonly upgrades: string[] = [];
  refuse = 0;

  constructor() {
    this.server.on('upgrade', (req, socket, head) => {
      this.upgrades.push(req.url ?? '');
      if (this.refuse > 0) {
        this.refuse--;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
      const carried = protocols.map((p) => decodeURIComponent(p)).find((p) => p.startsWith('quarkus-http-upgrade#'));
      const token = carried?.split('#')[2]?.replace(/^Bearer /, '');
      const sub = token ? decodeJwt(token)?.sub : undefined;
      if (!sub) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, sub, (req.url ?? '').includes('resume=1')));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    await new Promise((r) => this.server.close(r));
  }

  private open(ws: WebSocket, userId: string, holding: boolean): void {
    const conn: Conn = { ws, userId, holding, held: [] };
    this.conns.add(conn);
    ws.on('close', () => this.conns.delete(conn));
    ws.send(JSON.stringify({ type: 'welcome', userId, connectionId: String(Math.random()) }));
    ws.on('message', (data) => this.frame(conn, JSON.parse(String(data)) as Record<string, any>));
  }

  private frame(conn: Conn, f: Record<string, any>): void {
    const reply = (x: unknown) => conn.ws.send(JSON.stringify(x));
    if (f.type === 'ping') reply({ type: 'pong' });
    else if (f.type === 'resume') {
      for (const [c, after] of Object.entries(f.positions as Record<string, number>)) {
        for (const m of this.messages.get(c) ?? []) if (m.seq > after) reply({ type: 'message.created', message: m });
      }
      reply({ type: 'resumed', ref: f.ref });
      conn.holding = false;
      for (const h of conn.held.splice(0)) conn.ws.send(h);
    } else if (f.type === 'send') {
      const list = this.messages.get(f.conversationId) ?? [];
      this.messages.set(f.conversationId, list);
      let m = list.find((x) => x.clientMessageId === f.clientMessageId);
      const fresh = !m;
      if (!m) {
        m = {
          id: `m-${list.length + 1}`,
          conversationId: f.conversationId,
          seq: list.length + 1,
          clientMessageId: f.clientMessageId,
          senderId: conn.userId,
          senderRole: 'client',
          senderName: conn.userId,
          type: 'text',
          content: f.content,
          attachments: [],
          createdAt: new Date().toISOString(),
          editedAt: null,
          deletedAt: null,
        };
        list.push(m);
      }
      reply({ type: 'ack', ref: f.ref, message: m });
      if (fresh) {
        const out = JSON.stringify({ type: 'message.created', message: m });
        for (const c of this.conns) {
          if (c.holding) c.held.push(out);
          else c.ws.send(out);
        }
      }
    }
  }

  private rest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/conversations\/([^/]+)\/messages$/.exec(url.pathname);
    if (!m || req.method !== 'GET') {
      res.writeHead(404, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify({ title: 'Not Found', status: 404, detail: '' }));
      return;
    }
    const after = Number(url.searchParams.get('afterSeq') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const later = (this.messages.get(m[1]!) ?? []).filter((x) => x.seq > after);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items: later.slice(0, limit), hasMore: later.length > limit }));
  }

  kill(userId: string): void {
    for (const c of this.conns) if (c.userId === userId) c.ws.terminate();
  }
}

const token = (sub: string) => makeToken({ sub, exp: Math.floor(Date.now() / 1000) + 3600 });
const until = async (what: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('over real sockets (ws)', () => {
  let gw: StandInGateway;
  const clients: ParleyClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await gw?.stop();
  });

  function client(baseUrl: string, sub: string): ParleyClient {
    const c = createParleyClient({
      baseUrl,
      getToken: async () => token(sub),
      WebSocket,
      storage: new MemoryOutboxStorage(),
      logger: quietLogger,
      networkEvents: null,
      backoff: { baseMs: 20, capMs: 200 },
    });
    clients.push(c);
    return c;
  }

  it('delivers every message once and in order while the recipient socket is killed mid-way', async () => {
    gw = new StandInGateway();
    const base = await gw.start();
    const alice = client(base, 'alice');
    const bob = client(base, 'bob');
    const got: number[] = [];
    bob.on('message.created', ({ message }) => got.push(message.seq));
    const sent: string[] = [];
    alice.on('outbox', (e) => e.status === 'sent' && sent.push(e.clientMessageId));
    await until(() => alice.state === 'open' && bob.state === 'open');
    bob.track('c', 0);
    for (let i = 1; i <= 30; i++) {
      alice.send('c', `message ${i}`);
      if (i === 10 || i === 20) gw.kill('bob');
      if (i === 15) gw.kill('alice');
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => got.length >= 30 && sent.length >= 30);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(sent).size).toBe(30);
    expect(sent.length).toBe(30);
    expect(gw.messages.get('c')!.map((m) => m.content)).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i + 1}`));
    expect(gw.upgrades.filter((u) => u.includes('resume=1')).length).toBeGreaterThanOrEqual(3);
  });

  it('comes back after a 503 upgrade no sooner than Retry-After', async () => {
    gw = new StandInGateway();
    gw.refuse = 1;
    const base = await gw.start();
    const started = Date.now();
    const alice = client(base, 'alice');
    await until(() => alice.state === 'open', 5_000);
    expect(gw.upgrades.length).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});
