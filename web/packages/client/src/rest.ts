import { ParleyApiError, parseRetryAfter } from './errors.js';
import type {
  Attachment,
  AttachmentRef,
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
  /**
   * The `XMLHttpRequest` of uploads, for their progress events: by default the global one where there is one (in
   * browsers) unless `fetch` was given; `null` to upload with `fetch` (progress known only at the end).
   */
  XMLHttpRequest?: XhrConstructor | null;
}

/**
 * A file to upload: a `Blob` or `File` (a `File` keeps its name; a bare `Blob` is sent as `file`), or `{name, data}`
 * with the bytes as a `Blob`, an `ArrayBuffer`, a typed array or a string (UTF-8), and an optional `type` (only a
 * hint: the server detects the type from the bytes).
 */
export type UploadSource =
  | Blob
  | { name: string; data: Blob | ArrayBuffer | ArrayBufferView | string; type?: string };

/** Options of {@link ParleyApi.uploadAttachment}. */
export interface UploadOptions {
  /**
   * Called as the request body goes out, with the bytes sent so far and the total (the multipart body's size, a bit
   * more than the file's). With `XMLHttpRequest` (browsers) on each upload progress event; with `fetch` (Node) once,
   * at the end.
   */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /**
   * Cancels the upload: the promise rejects with a `DOMException` named `AbortError` and the request is aborted; if
   * the server had already stored the file, it is deleted (`DELETE /api/attachments/{id}`).
   */
  signal?: AbortSignal;
}

/** What {@link ParleyApi.fetchAttachment} takes: an upload's id, its `url`/`thumbnailUrl` (a path), or the attachment. */
export type AttachmentTarget = string | Pick<Attachment, 'id'> & Partial<Pick<Attachment, 'url' | 'thumbnailUrl'>>;

/** Options of {@link ParleyApi.fetchAttachment}. */
export interface FetchAttachmentOptions {
  /** The thumbnail (`/thumbnail`) rather than the file: images only, `404` otherwise. */
  thumbnail?: boolean;
  /** One byte range, inclusive (`Range: bytes=start-end`, or `bytes=start-` without `end`; RFC 9110 §14). */
  range?: { start: number; end?: number };
  /** Cancels the download (the promise rejects with the `AbortError` of `fetch`). */
  signal?: AbortSignal;
}

/** An object URL of a downloaded attachment (for an `<img src>` or an `<a href download>`); revoke it when done. */
export interface AttachmentObjectUrl {
  /** The `blob:` URL. */
  url: string;
  /** The bytes. */
  blob: Blob;
  /** Releases the URL (`URL.revokeObjectURL`); calling it again does nothing. */
  revoke: () => void;
}

/** What the client needs of `XMLHttpRequest` (the browser's fits). */
export interface XhrLike {
  readonly readyState: number;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body: FormData): void;
  abort(): void;
}

/** An `XMLHttpRequest` constructor. */
export type XhrConstructor = new () => XhrLike;

/** An answer read from `fetch` or `XMLHttpRequest`. */
interface RawAnswer {
  status: number;
  statusText: string;
  header(name: string): string | null;
  text: string;
}

/** The `AbortError` of a cancelled upload. */
function abortError(): Error {
  const D = (globalThis as { DOMException?: typeof DOMException }).DOMException;
  if (D) return new D('The upload was cancelled.', 'AbortError');
  const e = new Error('The upload was cancelled.');
  e.name = 'AbortError';
  return e;
}

/** The upload id at the end of a `Location: /api/attachments/{id}` header. */
function idFromLocation(location: string | null): string | undefined {
  const m = location ? /\/api\/attachments\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location) : null;
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** Makes the multipart body: one part named `file` with the file's name. */
function uploadForm(file: UploadSource): { form: FormData; size: number } {
  const form = new FormData();
  if (typeof Blob !== 'undefined' && file instanceof Blob) {
    const name = (file as Blob & { name?: unknown }).name;
    form.append('file', file, typeof name === 'string' && name ? name : 'file');
    return { form, size: file.size };
  }
  const f = file as Exclude<UploadSource, Blob>;
  const blob =
    f.data instanceof Blob
      ? f.data
      : new Blob([f.data as BlobPart], f.type !== undefined ? { type: f.type } : {});
  form.append('file', blob, f.name || 'file');
  return { form, size: blob.size };
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
  /** Uploads of the sender in this conversation, by id: `[{id}]`, at most 10 (see {@link ParleyApi.uploadAttachment}). */
  attachments?: AttachmentRef[];
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
  private readonly Xhr: XhrConstructor | null;

  /** Makes a REST client; {@link createParleyClient} makes one as `client.api`. */
  constructor(options: ParleyApiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.getToken = options.getToken;
    const f = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
    if (!f) throw new Error('No fetch: pass options.fetch');
    this.fetchFn = options.fetch ? f : (input, init) => globalThis.fetch(input, init);
    this.now = options.now ?? Date.now;
    const globalXhr = (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest ?? null;
    this.Xhr = options.XMLHttpRequest !== undefined ? options.XMLHttpRequest : options.fetch ? null : globalXhr;
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
    let text = '';
    try {
      text = await res.text();
    } catch {
      // no body
    }
    return this.problemOf({ status: res.status, statusText: res.statusText, header: (n) => res.headers.get(n), text });
  }

  private problemOf(res: RawAnswer): ParleyApiError {
    let title = res.statusText || `HTTP ${res.status}`;
    let detail = '';
    let type: string | undefined;
    try {
      const text = res.text;
      if (text) {
        const p = JSON.parse(text) as { title?: unknown; detail?: unknown; type?: unknown };
        if (typeof p.title === 'string') title = p.title;
        if (typeof p.detail === 'string') detail = p.detail;
        if (typeof p.type === 'string') type = p.type;
      }
    } catch {
      // not problem+json: keep the status text
    }
    const retryAfter = parseRetryAfter(res.header('Retry-After'), this.now());
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

  // --- files -------------------------------------------------------------------------------------------------

  /**
   * `POST /api/conversations/{id}/attachments`: uploads one file as `multipart/form-data` (one part named `file`,
   * with the file's name) and answers the {@link Attachment} (`201`). Progress comes from `XMLHttpRequest` upload
   * events in browsers (fetch has none); elsewhere the upload goes through `fetch` and progress is reported once at
   * the end. `options.signal` cancels: the promise rejects with an `AbortError` and the request is aborted; when the
   * server had already answered, the upload is deleted (`DELETE /api/attachments/{id}`, best effort).
   * A refusal rejects with a {@link ParleyApiError}: `400` (no file, empty file), `404` (not a conversation of the
   * caller's), `413` (over the size limit, 25 MiB by default), `415` (a refused type, e.g. executables), `429`
   * (too many uploads; `retryAfter` in seconds). A `401` is retried once with a fresh token.
   */
  async uploadAttachment(conversationId: string, file: UploadSource, options: UploadOptions = {}): Promise<Attachment> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError();
    const { form, size } = uploadForm(file);
    const url = `${this.base}/api/conversations/${enc(conversationId)}/attachments`;
    let token = await this.getToken();
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError();
      const answer = this.Xhr
        ? await this.uploadXhr(this.Xhr, url, token, form, size, options)
        : await this.uploadFetch(url, token, form, options);
      if (answer.status === 401 && attempt === 0) {
        token = await this.getToken({ forceRefresh: true });
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) throw this.problemOf(answer);
      const attachment = JSON.parse(answer.text) as Attachment;
      if (signal?.aborted) {
        // cancelled while the answer came: the file is stored, delete it
        this.forgetUpload(attachment.id ?? idFromLocation(answer.header('Location')));
        throw abortError();
      }
      if (!this.Xhr) onProgress?.(size, size);
      return attachment;
    }
  }

  private forgetUpload(id: string | undefined): void {
    if (id) this.deleteAttachment(id).catch(() => {});
  }

  private uploadXhr(
    Xhr: XhrConstructor,
    url: string,
    token: string,
    form: FormData,
    size: number,
    { signal, onProgress }: UploadOptions,
  ): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      const xhr = new Xhr();
      const onAbort = () => {
        // headers in with a 201: the server stored the file; abort what is left and delete it
        if (xhr.readyState >= 2 && xhr.status === 201) this.forgetUpload(idFromLocation(xhr.getResponseHeader('Location')));
        xhr.abort();
        done();
        reject(abortError());
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      xhr.open('POST', url);
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : size);
      xhr.onload = () => {
        done();
        resolve({
          status: xhr.status,
          statusText: xhr.statusText,
          header: (n) => xhr.getResponseHeader(n),
          text: xhr.responseText,
        });
      };
      xhr.onerror = xhr.ontimeout = () => {
        done();
        reject(new TypeError('The upload failed: network error.'));
      };
      xhr.onabort = () => {
        done();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send(form);
    });
  }

  private async uploadFetch(url: string, token: string, form: FormData, { signal }: UploadOptions): Promise<RawAnswer> {
    const init: RequestInit = {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      body: form,
    };
    if (signal) init.signal = signal;
    let res: Response;
    try {
      res = await this.fetchFn(url, init);
    } catch (e) {
      if (signal?.aborted) throw abortError();
      throw e;
    }
    try {
      const text = await res.text();
      return { status: res.status, statusText: res.statusText, header: (n) => res.headers.get(n), text };
    } catch (e) {
      if (!signal?.aborted) throw e;
      // cancelled while the answer was read: a 201 means the file is stored
      if (res.status === 201) this.forgetUpload(idFromLocation(res.headers.get('Location')));
      throw abortError();
    }
  }

  /** `DELETE /api/attachments/{id}`: deletes an upload of the caller's that no message carries yet (`409` once one does). */
  deleteAttachment(id: string): Promise<void> {
    return this.request('DELETE', `/api/attachments/${enc(id)}`);
  }

  /** `GET /api/attachments/{id}/meta`: the {@link Attachment}. */
  getAttachment(id: string, signal?: AbortSignal): Promise<Attachment> {
    return this.request('GET', `/api/attachments/${enc(id)}/meta`, undefined, signal);
  }

  /**
   * The path of an attachment's bytes or thumbnail: from an id, or from an `url`/`thumbnailUrl` (a path of this
   * gateway, or a full URL on its origin; anything else throws, so that the token never leaves for another origin).
   */
  attachmentPath(target: AttachmentTarget, thumbnail = false): string {
    let path: string;
    if (typeof target === 'string') {
      path = target.includes('/') ? target : `/api/attachments/${enc(target)}`;
    } else {
      path = (thumbnail ? target.thumbnailUrl : target.url) ?? `/api/attachments/${enc(target.id)}`;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
      const origin = new URL(this.base).origin;
      const u = new URL(path);
      if (u.origin !== origin) throw new Error(`Not an address of this gateway: ${path}`);
      path = u.pathname + u.search;
    }
    if (!path.startsWith('/api/attachments/')) throw new Error(`Not an attachment address: ${path}`);
    if (thumbnail && !/\/thumbnail$/.test(path)) path = `${path.replace(/\/+$/, '')}/thumbnail`;
    return path;
  }

  /**
   * `GET /api/attachments/{id}` (or `/thumbnail` with `thumbnail: true`) with the bearer token, as a `Blob` (typed by
   * the answer's `Content-Type`). A `<img src>` or a link cannot carry the token: show the blob through an object
   * URL ({@link ParleyApi.attachmentObjectUrl}). `range` asks for one byte range (`206`). A refusal rejects with a
   * {@link ParleyApiError} (`404` for anyone who may not read the conversation, an unknown or deleted file, or no
   * thumbnail; `416` for a range beyond the end).
   */
  async fetchAttachment(target: AttachmentTarget, options: FetchAttachmentOptions = {}): Promise<Blob> {
    const path = this.attachmentPath(target, options.thumbnail ?? false);
    let token = await this.getToken();
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
      const init: RequestInit = { method: 'GET', headers };
      if (options.signal) init.signal = options.signal;
      const res = await this.fetchFn(this.base + path, init);
      if (res.status === 401 && attempt === 0) {
        token = await this.getToken({ forceRefresh: true });
        continue;
      }
      if (!res.ok) throw await this.problem(res);
      return res.blob();
    }
  }

  /**
   * Downloads an attachment (or its thumbnail) like {@link ParleyApi.fetchAttachment} and makes an object URL of it;
   * call `revoke()` when it is no longer shown (a React effect's cleanup).
   */
  async attachmentObjectUrl(target: AttachmentTarget, options: FetchAttachmentOptions = {}): Promise<AttachmentObjectUrl> {
    const blob = await this.fetchAttachment(target, options);
    const url = URL.createObjectURL(blob);
    let revoked = false;
    return {
      url,
      blob,
      revoke: () => {
        if (revoked) return;
        revoked = true;
        URL.revokeObjectURL(url);
      },
    };
  }

  // --- read and unread ---------------------------------------------------------------------------------------

  /** `POST /api/conversations/{id}/read`: the caller has read every message up to `seq` (never moves back). */
  markRead(conversationId: string, seq: number): Promise<void> {
    return this.request('POST', `/api/conversations/${enc(conversationId)}/read`, { seq });
  }

  /** `GET /api/conversations/{id}/read`: how far each reader has read (user id → seq). */
  async getReadPositions(conversationId: string, signal?: AbortSignal): Promise<Record<string, number>> {
    const answer = await this.request<{ positions: Record<string, number> }>(
      'GET',
      `/api/conversations/${enc(conversationId)}/read`,
      undefined,
      signal,
    );
    return answer.positions;
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
