import { vi } from 'vitest';
import type { Message, ServerFrame, WebSocketConstructor, WebSocketLike } from '../src/index.js';

/** A WebSocket that a test drives from the server's side. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  closedByClient: { code?: number | undefined; reason?: string | undefined } | undefined;
  /** Answers each ping with a pong, as a live server does. */
  autoPong = true;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    readonly options?: { headers?: Record<string, string> },
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    const frame = JSON.parse(data) as Record<string, unknown>;
    this.sent.push(frame);
    if (frame.type === 'ping' && this.autoPong) void Promise.resolve().then(() => this.deliver({ type: 'pong' }));
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '' });
  }

  /** The server accepts the upgrade and says welcome. */
  accept(userId = 'alice', connectionId = 'c1'): void {
    this.readyState = 1;
    this.onopen?.({});
    this.deliver({ type: 'welcome', userId, connectionId });
  }

  /** The server sends a frame. */
  deliver(frame: ServerFrame | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server (or the network) closes the connection. */
  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The upgrade fails (as the `ws` package reports a refused upgrade). */
  refuse(status?: number): void {
    this.onerror?.(status ? { message: `Unexpected server response: ${status}` } : {});
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }

  framesOf(type: string): Array<Record<string, unknown>> {
    return this.sent.filter((f) => f.type === type);
  }
}

/** A WebSocket constructor that records every socket made. */
export function fakeWebSocket(): { Ctor: WebSocketConstructor; sockets: FakeSocket[]; last: () => FakeSocket } {
  const sockets: FakeSocket[] = [];
  const Ctor = class extends FakeSocket {
    constructor(url: string, protocols?: string | string[], options?: { headers?: Record<string, string> }) {
      super(url, protocols, options);
      sockets.push(this);
    }
  };
  return { Ctor, sockets, last: () => sockets[sockets.length - 1]! };
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** An unsigned JWT with these claims. */
export function makeToken(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.sig`;
}

/** A message of a conversation. */
export function msg(conversationId: string, seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    clientMessageId: `cm-${conversationId}-${seq}`,
    senderId: 'bob',
    senderRole: 'client',
    senderName: 'Bob',
    type: 'text',
    content: `message ${seq}`,
    attachments: [],
    createdAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

/** A fetch that answers history reads from `store` (every message of each conversation) and records the calls. */
export function historyFetch(store: Map<string, Message[]>) {
  const calls: string[] = [];
  const fetch = vi.fn(async (input: string): Promise<Response> => {
    calls.push(input);
    const url = new URL(input);
    const m = /^\/api\/conversations\/([^/]+)\/messages$/.exec(url.pathname);
    if (!m) return new Response(JSON.stringify({ title: 'Not Found', status: 404 }), { status: 404 });
    const all = store.get(decodeURIComponent(m[1]!)) ?? [];
    const after = Number(url.searchParams.get('afterSeq') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const later = all.filter((x) => x.seq > after);
    const items = later.slice(0, limit);
    return new Response(JSON.stringify({ items, hasMore: later.length > items.length }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return { fetch, calls };
}

/** Lets pending promises and zero-delay timers run (with fake timers). */
export async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

export const quietLogger = { warn: () => {}, debug: () => {} };
