import type { Conversation, Message, ServerFrame, WebSocketConstructor, WebSocketLike } from '@parley/client';

export function msg(conversationId: string, seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    clientMessageId: `${conversationId}-cm${seq}`,
    senderId: 'bob',
    senderRole: 'client',
    senderName: 'Bob',
    type: 'text',
    content: `message ${seq}`,
    attachments: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

export function conv(id: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    type: 'direct',
    title: null,
    participants: ['alice', 'bob'],
    createdBy: 'alice',
    createdAt: '2026-01-01T00:00:00Z',
    lastMessage: null,
    lastSeq: 0,
    readSeq: 0,
    unreadCount: 0,
    pinned: false,
    muted: false,
    awaitingReply: false,
    answeredBy: null,
    awaitingSince: null,
    ...extra,
  };
}

/** A WebSocket that the test drives from the server's side. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: Array<Record<string, unknown>> = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '' });
  }
  accept(userId = 'alice'): void {
    this.readyState = 1;
    this.onopen?.({});
    this.deliver({ type: 'welcome', userId, connectionId: 'c1' });
  }
  deliver(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

export function fakeWebSocket(): { Ctor: WebSocketConstructor; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const Ctor = class extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  };
  return { Ctor: Ctor as unknown as WebSocketConstructor, sockets };
}

export function token(sub: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64({ sub, groups: ['client'], exp: Math.floor(Date.now() / 1000) + 3600 })}.x`;
}

export const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));
