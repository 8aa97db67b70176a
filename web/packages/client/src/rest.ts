import { ParleyApiError, parseRetryAfter } from './errors.js';
import type {
  Attachment,
  Conversation,
  ConversationPage,
  GatewayInfo,
  Message,
  MessagePage,
  MessageType,
  Mute,
  PushSubscriptionRequest,
  UnreadCounts,
} from './types.js';

/** A token provider: returns a valid JWT; `forceRefresh` asks for a new one (the last one was refused or expired). */
export type TokenProvider = (context?: { forceRefresh?: boolean }) => Promise<string>;

/** The `fetch` function the REST client uses (the global one by default). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Options of {@link ParleyApi}. */
export interface ParleyApiOptions {
  /** The gateway's address, e.g. `https://chat.example.com` or `http://localhost:8080` (REST is under `/api`). */
  baseUrl: string;
  /** Returns the caller's JWT; called for each request. */
  getToken: TokenProvider;
  /** A `fetch` implementation; the global `fetch` by default. */
  fetch?: FetchLike;
  /** The clock, for `Retry-After` dates. */
  now?: () => number;
}

/** Query of {@link ParleyApi.listConversations}. */
export interface ListConversationsQuery {
  /** 1-100, default 20. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** Admins only: `support` (every support conversation) or `unanswered`. */
  filter?: 'support' | 'unanswered';
}

/** Query of {@link ParleyApi.listMessages}: at most one of `afterSeq`, `beforeSeq`; neither gives the latest page. */
export type ListMessagesQuery =
  | { afterSeq: number; beforeSeq?: never; limit?: number }
  | { beforeSeq: number; afterSeq?: never; limit?: number }
  | { afterSeq?: undefined; beforeSeq?: undefined; limit?: number };

/** Body of {@link ParleyApi.sendMessage}. */
export interface SendMessageBody {
  /** The idempotency key (a UUID); a fresh one is made when absent. */
  clientMessageId?: string;
  /** The text (at most 8,000 characters); required unless there are attachments. */
  content?: string;
  /** `text` (default) or `file`. */
  type?: Exclude<MessageType, 'system'>;
  /** At most 10 JSON objects. */
  attachments?: Attachment[];
}

/** Body of {@link ParleyApi.createConversation}. */
export interface CreateConversationBody {
  /** `direct` (exactly one other participant) or `group`. */
  type: 'direct' | 'group';
  /** The other participants' user ids (the caller is always added). */
  participants: string[];
  /** Optional title (at most 200 characters). */
  title?: string;
}

/** Makes a UUID v4 (crypto.randomUUID where there is one). */
export function randomUuid(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const enc = encodeURIComponent;

/**
 * Typed calls for every REST endpoint of docs/api.md, through the gateway (`{baseUrl}/api/...`).
 *
 * Each call sends `Authorization: Bearer <token>` from the token provider; a `401` is retried once with a fresh
 * token (`forceRefresh: true`). A refusal rejects with a {@link ParleyApiError}.
 */
export class ParleyApi {
  private readonly base: string;
  private readonly getToken: TokenProvider;
  private readonly fetchFn: FetchLike;
  private readonly now: () => number;

  /** Makes a REST client; {@link createParleyClient} makes one as `client.api`. */
  constructor(options: ParleyApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.getToken = options.getToken;
    const f = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
    if (!f) throw new Error('No fetch: pass options.fetch');
    this.fetchFn = options.fetch ? f : (input, init) => globalThis.fetch(input, init);
    this.now = options.now ?? Date.now;
  }

  /**
   * Sends one request and reads its JSON answer (undefined for `204`). Public for calls this class does not
   * have yet; `path` starts with `/` and is taken from the gateway's root (`/api/...`).
   */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let token = await this.getToken();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      const init: RequestInit = { method, headers };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      if (signal) init.signal = signal;
      const res = await this.fetchFn(this.base + path, init);
      if (res.status === 401 && attempt === 0) {
        token = await this.getToken({ forceRefresh: true });
        continue;
      }
      if (!res.ok) throw await this.problem(res);
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }

  private async problem(res: Response): Promise<ParleyApiError> {
    let title = res.statusText || `HTTP ${res.status}`;
    let detail = '';
    let type: string | undefined;
    try {
      const text = await res.text();
      if (text) {
        const p = JSON.parse(text) as { title?: unknown; detail?: unknown; type?: unknown };
        if (typeof p.title === 'string') title = p.title;
        if (typeof p.detail === 'string') detail = p.detail;
        if (typeof p.type === 'string') type = p.type;
      }
    } catch {
      // not problem+json: keep the status text
    }
    const retryAfter = parseRetryAfter(res.headers.get('Retry-After'), this.now());
    const init: ConstructorParameters<typeof ParleyApiError>[0] = { status: res.status, title, detail };
    if (type !== undefined) init.type = type;
    if (retryAfter !== undefined) init.retryAfter = retryAfter;
    return new ParleyApiError(init);
  }

  // --- conversations -----------------------------------------------------------------------------------------

  /** `GET /api/conversations?limit&cursor&filter`: one page, latest activity first (support conversation pinned first). */
  listConversations(query: ListConversationsQuery = {}, signal?: AbortSignal): Promise<ConversationPage> {
    const q = new URLSearchParams();
    if (query.limit !== undefined) q.set('limit', String(query.limit));
    if (query.cursor) q.set('cursor', query.cursor);
    if (query.filter) q.set('filter', query.filter);
    const s = q.toString();
    return this.request('GET', `/api/conversations${s ? `?${s}` : ''}`, undefined, signal);
  }

  /** Pages through the whole conversation list (following `nextCursor`), page by page. */
  async *conversationPages(query: Omit<ListConversationsQuery, 'cursor'> = {}): AsyncGenerator<ConversationPage> {
    let cursor: string | null = null;
    do {
      const page: ConversationPage = await this.listConversations({ ...query, cursor });
      yield page;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** `GET /api/conversations/{id}`. */
  getConversation(conversationId: string, signal?: AbortSignal): Promise<Conversation> {
    return this.request('GET', `/api/conversations/${enc(conversationId)}`, undefined, signal);
  }

  /** `GET /api/conversations/support`: the caller's support conversation, created on first use (not for admins). */
  getSupportConversation(signal?: AbortSignal): Promise<Conversation> {
    return this.request('GET', '/api/conversations/support', undefined, signal);
  }

  /** `POST /api/conversations`: a direct conversation (answered with the existing one if any) or a group. */
  createConversation(body: CreateConversationBody): Promise<Conversation> {
    return this.request('POST', '/api/conversations', body);
  }

  /** The direct conversation with `userId`, created on first use. */
  createDirectConversation(userId: string): Promise<Conversation> {
    return this.createConversation({ type: 'direct', participants: [userId] });
  }

  /** A new group with these participants (the caller included) and an optional title. */
  createGroupConversation(participants: string[], title?: string): Promise<Conversation> {
    const body: CreateConversationBody = { type: 'group', participants };
    if (title !== undefined) body.title = title;
    return this.createConversation(body);
  }

  /** `POST /api/conversations/{id}/participants`: adds a user to a group (its creator or an admin). */
  addParticipant(conversationId: string, userId: string): Promise<Conversation> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/participants`, { userId });
  }

  /** `DELETE /api/conversations/{id}/participants/{userId}`: removes a user from a group (or oneself). */
  removeParticipant(conversationId: string, userId: string): Promise<void> {
    return this.request('DELETE', `/api/conversations/${enc(conversationId)}/participants/${enc(userId)}`);
  }

  // --- messages ----------------------------------------------------------------------------------------------

  /**
   * `GET /api/conversations/{id}/messages`: the page after `afterSeq`, the page before `beforeSeq`, or the latest
   * page; always ascending. `limit` 1-200 (default 50).
   */
  listMessages(conversationId: string, query: ListMessagesQuery = {}, signal?: AbortSignal): Promise<MessagePage> {
    const q = new URLSearchParams();
    if (query.afterSeq !== undefined) q.set('afterSeq', String(query.afterSeq));
    if (query.beforeSeq !== undefined) q.set('beforeSeq', String(query.beforeSeq));
    if (query.limit !== undefined) q.set('limit', String(query.limit));
    const s = q.toString();
    return this.request('GET', `/api/conversations/${enc(conversationId)}/messages${s ? `?${s}` : ''}`, undefined, signal);
  }

  /**
   * `POST /api/conversations/{id}/messages`: sends a message over REST (the same `clientMessageId` again answers the
   * stored message). Prefer {@link ParleyClient.send}, which goes through the outbox.
   */
  sendMessage(conversationId: string, body: SendMessageBody): Promise<Message> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/messages`, {
      ...body,
      clientMessageId: body.clientMessageId ?? randomUuid(),
    });
  }

  /** `PATCH /api/conversations/{id}/messages/{messageId}`: edits one's own message. */
  editMessage(conversationId: string, messageId: string, content: string): Promise<Message> {
    return this.request('PATCH', `/api/conversations/${enc(conversationId)}/messages/${enc(messageId)}`, { content });
  }

  /** `DELETE /api/conversations/{id}/messages/{messageId}`: deletes one's own message (or any, as an admin). */
  deleteMessage(conversationId: string, messageId: string): Promise<void> {
    return this.request('DELETE', `/api/conversations/${enc(conversationId)}/messages/${enc(messageId)}`);
  }

  // --- read and unread ---------------------------------------------------------------------------------------

  /** `POST /api/conversations/{id}/read`: the caller has read every message up to `seq` (never moves back). */
  markRead(conversationId: string, seq: number): Promise<void> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/read`, { seq });
  }

  /** `GET /api/unread`: the caller's unread counts. */
  getUnread(signal?: AbortSignal): Promise<UnreadCounts> {
    return this.request('GET', '/api/unread', undefined, signal);
  }

  // --- push --------------------------------------------------------------------------------------------------

  /** `POST /api/push/subscriptions`: registers a device; the same endpoint or token again answers the same id. */
  createPushSubscription(subscription: PushSubscriptionRequest): Promise<{ id: string }> {
    return this.request('POST', '/api/push/subscriptions', subscription);
  }

  /** `DELETE /api/push/subscriptions/{id}`. */
  deletePushSubscription(id: string): Promise<void> {
    return this.request('DELETE', `/api/push/subscriptions/${enc(id)}`);
  }

  /** `GET /api/push/vapid-public-key`: the `applicationServerKey` for `pushManager.subscribe` (503 when not set up). */
  async getVapidPublicKey(signal?: AbortSignal): Promise<string> {
    const r = await this.request<{ publicKey: string }>('GET', '/api/push/vapid-public-key', undefined, signal);
    return r.publicKey;
  }

  /** `GET /api/push/mutes`: the caller's muted conversations. */
  async listMutes(signal?: AbortSignal): Promise<Mute[]> {
    const r = await this.request<{ items: Mute[] }>('GET', '/api/push/mutes', undefined, signal);
    return r.items;
  }

  /** `PUT /api/push/mutes/{conversationId}`: no alerts until `until` (ISO-8601 with offset, future), or until unmuted. */
  mute(conversationId: string, until?: string | Date): Promise<void> {
    const body = until === undefined ? {} : { until: until instanceof Date ? until.toISOString() : until };
    return this.request('PUT', `/api/push/mutes/${enc(conversationId)}`, body);
  }

  /** `DELETE /api/push/mutes/{conversationId}`: alerts again. */
  unmute(conversationId: string): Promise<void> {
    return this.request('DELETE', `/api/push/mutes/${enc(conversationId)}`);
  }

  // --- gateway -----------------------------------------------------------------------------------------------

  /** `GET /`: the gateway's root document. */
  info(signal?: AbortSignal): Promise<GatewayInfo> {
    return this.request('GET', '/', undefined, signal);
  }
}
