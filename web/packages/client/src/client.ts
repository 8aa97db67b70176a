import { Backoff } from './backoff.js';
import { Emitter, type Unsubscribe } from './emitter.js';
import { decodeJwt, tokenExpiresAt } from './jwt.js';
import { ParleyApi, randomUuid, type FetchLike, type TokenProvider, type UploadOptions, type UploadSource, type XhrConstructor } from './rest.js';
import { Sequencer } from './sequencer.js';
import { defaultOutboxStorage, type OutboxEntry, type OutboxStorage } from './storage.js';
import type {
  AckFrame,
  Attachment,
  AttachmentRef,
  PendingAttachment,
  AuthenticatedFrame,
  ClientFrame,
  ConversationCreatedFrame,
  ParticipantAddedFrame,
  ParticipantRemovedFrame,
  ErrorCode,
  ErrorFrame,
  MessageCreatedFrame,
  MessageDeletedFrame,
  MessageUpdatedFrame,
  PongFrame,
  PresenceFrame,
  ReadFrame,
  ResumedFrame,
  ServerFrame,
  TypingFrame,
  UnreadFrame,
  WelcomeFrame,
} from './types.js';

/**
 * The connection's state: `connecting` (opening a socket), `resuming` (open, the replay of a `resume` not over
 * yet), `open` (live), `offline` (no socket; waiting to try again, or closed).
 */
export type ConnectionState = 'connecting' | 'open' | 'resuming' | 'offline';

/**
 * What the client needs of a WebSocket: the browser's `WebSocket` and the `ws` package's both fit. Handlers are
 * assigned as properties (`onopen`, `onmessage`, `onclose`, `onerror`).
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /* eslint-disable @typescript-eslint/no-explicit-any */
  /** Called once the upgrade succeeded. */
  onopen: ((event: any) => void) | null;
  /** Called with each frame (`event.data`, a string for text frames). */
  onmessage: ((event: any) => void) | null;
  /** Called once closed (`event.code`, `event.reason`). */
  onclose: ((event: any) => void) | null;
  /** Called on a failure (`ws` says `Unexpected server response: 503` in `event.message` for a refused upgrade). */
  onerror: ((event: any) => void) | null;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  /** Sends a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: the browser's, or one that also takes options (the `ws` package: `{headers}`). */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

/**
 * How the token rides on the upgrade: `subprotocol` (the browser way, and the default: the pair
 * `bearer-token-carrier` and the URI-encoded `quarkus-http-upgrade#Authorization#Bearer <token>`), `header` (an
 * `Authorization` header; only WebSocket constructors that take options, like the `ws` package's) or `query`
 * (`?access_token=`).
 */
export type TokenTransport = 'subprotocol' | 'header' | 'query';

/** Where the client writes what it notices (1009 closes, failed history reads...). */
export interface Logger {
  /** Something the app's developers should know (a 1009 close, a failed history read or storage write). */
  warn(...args: unknown[]): void;
  /** Details of the connection's life (closes, pings). */
  debug(...args: unknown[]): void;
}

/** The browser's network events (`online`, `offline`), from `window` by default. */
export interface NetworkEvents {
  /** Adds a listener (as `window.addEventListener`). */
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  /** Removes it. */
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/** Options of {@link createParleyClient}. */
export interface ParleyClientOptions {
  /** The gateway's address, e.g. `https://chat.example.com` (REST under `/api`, the socket at `/ws`). */
  baseUrl: string;
  /** Returns the user's JWT; `forceRefresh` asks for a new one (expired or refused). */
  getToken: TokenProvider;
  /** The WebSocket constructor (the global one by default; in Node 20 pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  /** How the token rides on the upgrade (default `subprotocol`). */
  tokenTransport?: TokenTransport;
  /** Where the outbox is kept (default: IndexedDB in browsers, else localStorage, else memory). */
  storage?: OutboxStorage;
  /** The `fetch` of REST calls (global by default). */
  fetch?: FetchLike;
  /**
   * The `XMLHttpRequest` of uploads, for their progress events (the global one by default where there is one, i.e.
   * in browsers; `null` to upload with `fetch`, whose progress is only known at the end).
   */
  XMLHttpRequest?: XhrConstructor | null;
  /** The clock (ms since the epoch), `Date.now` by default. */
  now?: () => number;
  /** Random numbers in [0, 1) for the backoff's jitter, `Math.random` by default. */
  random?: () => number;
  /** Makes `clientMessageId`s (crypto.randomUUID by default). */
  uuid?: () => string;
  /** Reconnect backoff: first retry at once, then full jitter up to `min(capMs, baseMs * 2^n)` (250 ms, 10 s). */
  backoff?: { baseMs?: number; capMs?: number };
  /** Interval of application pings while open (default 10,000 ms). */
  pingIntervalMs?: number;
  /** No frame this long after a ping: the connection is dead (default 5,000 ms). */
  pongTimeoutMs?: number;
  /** No `welcome` this long after opening a socket: give up on it (default 10,000 ms). */
  connectTimeoutMs?: number;
  /** A connection open this long counts as working: the next retry after it is immediate (default 1,000 ms). */
  stableAfterMs?: number;
  /** How long before the token's expiry a fresh one is sent with `auth` (default: a fifth of its life, 5-60 s). */
  authRefreshMarginMs?: number;
  /** Messages of a conversation that is not tracked: track it from there (default `true`) or drop them. */
  autoTrack?: boolean;
  /** Connect at once (default `true`); otherwise call {@link ParleyClient.connect}. */
  autoConnect?: boolean;
  /** The source of `online`/`offline` events (default `window` where there is one; `null` for none). */
  networkEvents?: NetworkEvents | null;
  /** Where to log (default: warnings to `console.warn`). */
  logger?: Logger;
}

/**
 * The client's events: one per server frame type, with the frame as payload, plus `state`, `outbox` and `frame`.
 * `message.created` is the ordered stream: each message once, in seq order per conversation (live, replayed after a
 * resume, or read from the history to fill a gap). `frame` is every frame as received, before any of that.
 */
export interface ParleyEvents {
  /** The connection state changed. */
  state: ConnectionState;
  /** An outbox entry was written, loaded, sent, failed, retried or discarded (status `pending`/`sent`/`failed`). */
  outbox: OutboxEntry;
  /** Every frame as received. */
  frame: ServerFrame;
  /** A connection opened (each reconnect too). */
  welcome: WelcomeFrame;
  /** A message, once, in seq order per conversation (live, replayed, or read from the history to fill a gap). */
  'message.created': MessageCreatedFrame;
  /** A message was edited (does not move the seq). */
  'message.updated': MessageUpdatedFrame;
  /** A message was deleted (does not move the seq). */
  'message.deleted': MessageDeletedFrame;
  /** Someone started or stopped typing. */
  typing: TypingFrame;
  /** Someone came online or went offline. */
  presence: PresenceFrame;
  /** A reader's position moved (seen receipts). */
  read: ReadFrame;
  /** The caller's unread counts changed. */
  unread: UnreadFrame;
  /** Every `error` frame (those about outbox entries also end or delay the entry). */
  error: ErrorFrame;
  /** A send was stored (the outbox entry also ends as `sent`). */
  ack: AckFrame;
  /** A fresh token was accepted. */
  authenticated: AuthenticatedFrame;
  /** The replay of a resume is over (the state goes `open`). */
  resumed: ResumedFrame;
  /** The answer to a ping. */
  pong: PongFrame;
  /** A conversation the caller takes part in was created (every support conversation, for admins). */
  'conversation.created': ConversationCreatedFrame;
  /** Someone joined a group of the caller's (the caller included). */
  'participant.added': ParticipantAddedFrame;
  /** Someone left a group of the caller's (the caller included: then the conversation is no longer theirs). */
  'participant.removed': ParticipantRemovedFrame;
}

/** Options of {@link ParleyClient.send}. */
export interface SendOptions {
  /** Uploads to carry (at most 10), as the upload answered them or as `{id}`. */
  attachments?: ReadonlyArray<Attachment | AttachmentRef | PendingAttachment>;
}

/** The most attachments one message may carry (docs/api.md). */
export const MAX_ATTACHMENTS = 10;

/**
 * Codes of a `send` error that sending again cannot fix: the outbox entry ends as `failed`. Any other code
 * (`unavailable`, or one this client does not know) is sent again after a backoff; `rate_limited` after
 * `retryAfterMs`; `unauthorized` after a reconnect with a fresh token.
 */
export const PERMANENT_SEND_ERRORS: readonly ErrorCode[] = ['invalid', 'not_found', 'too_large', 'conflict', 'forbidden'];

const OPEN = 1;
const MAX_TIMER = 2_147_483_647;

/** The WebSocket address of a gateway address: `http(s)` becomes `ws(s)`, and `/ws` is appended. */
export function webSocketUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '').replace(/^http(s?):/i, 'ws$1:');
  return `${base}/ws`;
}

interface SendState {
  socket?: WebSocketLike;
  notBefore?: number;
  unavailable: number;
}

/**
 * The Parley client: one WebSocket that reconnects and resumes by itself, an ordered exactly-once message stream,
 * an outbox, and the REST calls (`api`). Make one with {@link createParleyClient}.
 */
export class ParleyClient {
  /** Typed calls for every REST endpoint. */
  readonly api: ParleyApi;
  /** Resolves once the stored outbox was loaded (after the first token was read). */
  readonly ready: Promise<void>;

  private readonly opts: ParleyClientOptions;
  private readonly events = new Emitter<ParleyEvents>();
  private readonly backoff: Backoff;
  private readonly sequencer: Sequencer;
  private readonly storage: OutboxStorage;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly uuid: () => string;

  private currentState: ConnectionState = 'offline';
  private ws: WebSocketLike | undefined;
  private welcomed = false;
  private started = false;
  private closed = false;
  private everWelcomed = false;
  private needFreshToken = false;
  private token: string | undefined;
  private me: string | undefined;
  private connection: string | undefined;
  private openedAt: number | undefined;
  private attempt = 0;
  private refs = 0;
  private lastFailure: { status?: number; retryAfterMs?: number } | undefined;
  private networkDown = false;

  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private authTimer: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeRef: string | undefined;
  private authRef: { ref: string; token: string } | undefined;
  private readonly readRefs = new Map<string, { conversationId: string; seq: number }>();

  private readonly entries = new Map<string, OutboxEntry>();
  private readonly sendState = new Map<string, SendState>();
  private readonly byRef = new Map<string, string>();
  private storageChain: Promise<void> = Promise.resolve();
  private loaded = false;
  private resolveReady!: () => void;

  private readonly onOnline = (): void => {
    this.networkDown = false;
    if (this.closed || !this.started) return;
    this.backoff.reset();
    if (!this.ws) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      void this.openSocket();
    }
  };

  private readonly onOffline = (): void => {
    this.networkDown = true;
    if (this.ws) this.dropSocket(this.ws, 4001, 'network offline');
  };

  /** Prefer {@link createParleyClient}. */
  constructor(options: ParleyClientOptions) {
    this.opts = options;
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? { warn: (...a: unknown[]) => console.warn(...a), debug: () => {} };
    this.uuid = options.uuid ?? randomUuid;
    const apiOptions: ConstructorParameters<typeof ParleyApi>[0] = {
      baseUrl: options.baseUrl,
      getToken: options.getToken,
      now: this.now,
    };
    if (options.fetch) apiOptions.fetch = options.fetch;
    if (options.XMLHttpRequest !== undefined) apiOptions.XMLHttpRequest = options.XMLHttpRequest;
    this.api = new ParleyApi(apiOptions);
    const backoffOptions: ConstructorParameters<typeof Backoff>[0] = { ...options.backoff };
    if (options.random) backoffOptions.random = options.random;
    this.backoff = new Backoff(backoffOptions);
    this.storage = options.storage ?? defaultOutboxStorage();
    this.sequencer = new Sequencer({
      fetchAfter: (c, afterSeq, limit) => this.api.listMessages(c, { afterSeq, limit }),
      deliver: (message) => this.events.emit('message.created', { type: 'message.created', message }),
      autoTrack: options.autoTrack ?? true,
      onFetchError: (c, e) => this.log.warn(`parley: reading the history of ${c} to fill a gap failed`, e),
    });
    this.ready = new Promise((r) => (this.resolveReady = r));
    if (options.autoConnect ?? true) this.connect();
  }

  // --- state and events --------------------------------------------------------------------------------------

  /** The connection's current state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The user id of the last `welcome` (or of the token), once known. */
  get userId(): string | undefined {
    return this.me;
  }

  /** The connection id of the last `welcome`. */
  get connectionId(): string | undefined {
    return this.connection;
  }

  /** Calls `listener` with each event of this type until the returned function is called. */
  on<K extends keyof ParleyEvents>(event: K, listener: (payload: ParleyEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** Removes a listener added with {@link ParleyClient.on}. */
  off<K extends keyof ParleyEvents>(event: K, listener: (payload: ParleyEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /** Calls `listener` with the current state at once and with each change; returns the unsubscribe. */
  subscribeState(listener: (state: ConnectionState) => void): Unsubscribe {
    listener(this.currentState);
    return this.events.on('state', listener);
  }

  private setState(s: ConnectionState): void {
    if (s === this.currentState) return;
    this.currentState = s;
    this.events.emit('state', s);
  }

  // --- connection --------------------------------------------------------------------------------------------

  /** Starts connecting (done by the constructor unless `autoConnect: false`); nothing if already started. */
  connect(): void {
    if (this.started || this.closed) return;
    this.started = true;
    const target =
      this.opts.networkEvents === undefined
        ? ((globalThis as { window?: NetworkEvents }).window ?? null)
        : this.opts.networkEvents;
    if (target && typeof target.addEventListener === 'function') {
      target.addEventListener('online', this.onOnline);
      target.addEventListener('offline', this.onOffline);
    }
    void this.openSocket();
  }

  /** Drops the current socket and connects again at once (with `resume`). */
  reconnect(): void {
    if (!this.started || this.closed) return;
    this.backoff.reset();
    if (this.ws) this.dropSocket(this.ws, 4002, 'reconnect');
    else {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      void this.openSocket();
    }
  }

  /** Closes the connection for good and stops every timer; the outbox stays in storage. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const target =
      this.opts.networkEvents === undefined
        ? ((globalThis as { window?: NetworkEvents }).window ?? null)
        : this.opts.networkEvents;
    if (target && typeof target.removeEventListener === 'function') {
      target.removeEventListener('online', this.onOnline);
      target.removeEventListener('offline', this.onOffline);
    }
    for (const t of [this.reconnectTimer, this.connectTimer, this.pongTimer, this.authTimer, this.flushTimer]) {
      clearTimeout(t);
    }
    clearInterval(this.pingTimer);
    this.sequencer.close();
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      this.detach(ws);
      try {
        ws.close(1000, 'client closed');
      } catch {
        // already closed
      }
    }
    this.setState('offline');
  }

  private async openSocket(): Promise<void> {
    if (this.closed) return;
    const attempt = ++this.attempt;
    this.setState('connecting');
    let token: string;
    try {
      token = await this.opts.getToken(this.needFreshToken ? { forceRefresh: true } : undefined);
    } catch (e) {
      if (attempt !== this.attempt || this.closed) return;
      this.log.warn('parley: the token provider failed', e);
      this.scheduleReconnect();
      return;
    }
    if (attempt !== this.attempt || this.closed) return;
    this.needFreshToken = false;
    this.token = token;
    const sub = decodeJwt(token)?.sub;
    if (sub && !this.me) this.me = sub;
    if (!this.loaded) await this.loadOutbox();
    if (attempt !== this.attempt || this.closed) return;

    const resume = this.everWelcomed || Object.keys(this.sequencer.positions()).length > 0;
    let url = webSocketUrl(this.opts.baseUrl) + (resume ? '?resume=1' : '');
    const transport = this.opts.tokenTransport ?? 'subprotocol';
    const Ctor =
      this.opts.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) {
      this.log.warn('parley: no WebSocket here: pass options.WebSocket (in Node 20, the ws package)');
      this.setState('offline');
      return;
    }
    let ws: WebSocketLike;
    try {
      if (transport === 'header') {
        ws = new Ctor(url, undefined, { headers: { Authorization: `Bearer ${token}` } });
      } else if (transport === 'query') {
        url += `${resume ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
        ws = new Ctor(url);
      } else {
        ws = new Ctor(url, [
          'bearer-token-carrier',
          encodeURIComponent(`quarkus-http-upgrade#Authorization#Bearer ${token}`),
        ]);
      }
    } catch (e) {
      this.log.warn('parley: could not open a WebSocket', e);
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    this.openedAt = undefined;
    this.lastFailure = undefined;
    this.connectTimer = setTimeout(() => {
      if (this.ws === ws && !this.welcomed) this.dropSocket(ws, 4003, 'no welcome');
    }, this.opts.connectTimeoutMs ?? 10_000);
    ws.onmessage = (ev: { data: unknown }) => {
      if (this.ws !== ws) return;
      this.onData(ws, ev.data);
    };
    ws.onerror = (ev: { message?: string; error?: { message?: string } }) => {
      if (this.ws !== ws) return;
      const text = String(ev?.message ?? ev?.error?.message ?? '');
      const m = /Unexpected server response: (\d{3})/.exec(text);
      if (m) this.lastFailure = { status: Number(m[1]) };
    };
    ws.onclose = (ev: { code?: number; reason?: string }) => {
      if (this.ws !== ws) return;
      this.onClosed(ev?.code ?? 1006, ev?.reason ?? '');
    };
  }

  private detach(ws: WebSocketLike): void {
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
  }

  /** Gives up on a socket now (dead, or replaced): closes it without waiting and handles the close. */
  private dropSocket(ws: WebSocketLike, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.detach(ws);
    try {
      ws.close(code >= 4000 ? code : 4000, reason);
    } catch {
      // already closed
    }
    this.onClosed(code, reason);
  }

  private onClosed(code: number, reason: string): void {
    const wasOpen = this.welcomed;
    const openedAt = this.openedAt;
    if (this.ws) this.detach(this.ws);
    this.ws = undefined;
    this.welcomed = false;
    this.resumeRef = undefined;
    this.authRef = undefined;
    this.readRefs.clear();
    clearTimeout(this.connectTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.authTimer);
    clearInterval(this.pingTimer);
    this.pongTimer = this.pingTimer = this.authTimer = undefined;
    for (const s of this.sendState.values()) delete s.socket;
    if (this.closed) return;

    if (code === 1008) this.needFreshToken = true;
    if (code === 1009) this.log.warn(`parley: the server closed the connection with 1009 (a frame too large): ${reason}`);
    else this.log.debug(`parley: connection closed ${code} ${reason}`);
    if (wasOpen && openedAt !== undefined && this.now() - openedAt >= (this.opts.stableAfterMs ?? 1_000)) {
      this.backoff.reset();
    }
    if (!wasOpen) {
      // a failed upgrade: 401 (or a token that has expired) wants a fresh token; 503 says when to come back
      const status = this.lastFailure?.status;
      const exp = this.token ? tokenExpiresAt(this.token) : undefined;
      if (status === 401 || (exp !== undefined && exp <= this.now() + 5_000)) this.needFreshToken = true;
      if (status === 503) this.lastFailure = { status, retryAfterMs: 1_000 };
    }
    this.scheduleReconnect(this.lastFailure?.retryAfterMs ?? 0);
  }

  private scheduleReconnect(minMs = 0): void {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    if (this.networkDown) {
      this.setState('offline');
      // wait for `online`, but look again now and then in case the event never comes
      this.reconnectTimer = setTimeout(() => void this.openSocket(), this.backoff.capMs);
      return;
    }
    const delay = this.backoff.next(minMs);
    if (delay <= 0) {
      this.reconnectTimer = undefined;
      void this.openSocket();
    } else {
      this.setState('offline');
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        void this.openSocket();
      }, delay);
    }
  }

  private send0(frame: ClientFrame): boolean {
    const ws = this.ws;
    if (!ws || !this.welcomed || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      this.log.debug('parley: send failed', e);
      return false;
    }
  }

  private nextRef(kind: string): string {
    return `${kind}-${++this.refs}`;
  }

  private onData(ws: WebSocketLike, data: unknown): void {
    // any frame shows the connection is alive
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data)) as ServerFrame;
    } catch {
      this.log.warn('parley: a frame that is not JSON', data);
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    this.events.emit('frame', frame);
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(ws, frame);
        break;
      case 'message.created':
        this.sequencer.accept(frame.message);
        break;
      case 'ack':
        this.onAck(frame);
        this.events.emit('ack', frame);
        break;
      case 'error':
        this.onError(ws, frame);
        break;
      case 'resumed':
        if (this.resumeRef === undefined || frame.ref === undefined || frame.ref === this.resumeRef) {
          this.resumeRef = undefined;
          this.setState('open');
        }
        this.events.emit('resumed', frame);
        break;
      case 'authenticated':
        if (this.authRef && (frame.ref === undefined || frame.ref === this.authRef.ref)) {
          this.token = this.authRef.token;
          this.authRef = undefined;
          this.scheduleAuth();
        }
        this.events.emit('authenticated', frame);
        break;
      default:
        // message.updated, message.deleted, typing, presence, read, unread, pong, conversation.created, participant.*
        this.events.emit(frame.type, frame as never);
    }
  }

  private onWelcome(ws: WebSocketLike, frame: WelcomeFrame): void {
    clearTimeout(this.connectTimer);
    this.welcomed = true;
    this.openedAt = this.now();
    this.me = frame.userId;
    this.connection = frame.connectionId;
    const resume = this.everWelcomed || Object.keys(this.sequencer.positions()).length > 0;
    this.everWelcomed = true;
    if (resume) {
      this.resumeRef = this.nextRef('resume');
      this.setState('resuming');
      this.send0({ type: 'resume', ref: this.resumeRef, positions: this.sequencer.positions() });
    } else {
      this.setState('open');
    }
    this.events.emit('welcome', frame);
    this.startPing(ws);
    this.scheduleAuth();
    this.flush();
  }

  private startPing(ws: WebSocketLike): void {
    clearInterval(this.pingTimer);
    const timeout = this.opts.pongTimeoutMs ?? 5_000;
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws) return;
      if (this.pongTimer === undefined) {
        this.pongTimer = setTimeout(() => {
          this.log.debug('parley: no pong, the connection is taken for dead');
          this.dropSocket(ws, 4004, 'ping timeout');
        }, timeout);
      }
      this.send0({ type: 'ping' });
    }, this.opts.pingIntervalMs ?? 10_000);
  }

  private onError(ws: WebSocketLike, frame: ErrorFrame): void {
    const ref = frame.ref;
    if (ref !== undefined && this.byRef.has(ref)) {
      this.onSendError(this.byRef.get(ref)!, frame);
    } else if (ref !== undefined && ref === this.authRef?.ref) {
      this.authRef = undefined;
      if (frame.code === 'unauthorized' || frame.code === 'forbidden') {
        this.needFreshToken = true;
        this.dropSocket(ws, 4005, `auth refused: ${frame.code}`);
      } else {
        this.scheduleAuth(5_000);
      }
    } else if (ref !== undefined && ref === this.resumeRef && frame.conversationId && frame.code === 'not_found') {
      // a conversation the caller may no longer see: stop resuming it; the others go on
      this.sequencer.untrack(frame.conversationId);
    } else if (ref !== undefined && this.readRefs.has(ref)) {
      const r = this.readRefs.get(ref)!;
      this.readRefs.delete(ref);
      if (frame.code === 'unavailable') {
        this.api.markRead(r.conversationId, r.seq).catch((e) => this.log.warn('parley: markRead failed', e));
      }
    }
    this.events.emit('error', frame);
  }

  // --- token renewal -----------------------------------------------------------------------------------------

  private scheduleAuth(retryInMs?: number): void {
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (!this.token || !this.welcomed) return;
    const exp = tokenExpiresAt(this.token);
    if (exp === undefined) return;
    const now = this.now();
    let at: number;
    if (retryInMs !== undefined) {
      at = now + retryInMs;
    } else {
      const life = exp - now;
      const margin = this.opts.authRefreshMarginMs ?? Math.min(60_000, Math.max(5_000, life / 5));
      at = exp - margin;
    }
    if (at >= exp) return; // the server closes with 1008 and the client reconnects with a fresh token
    this.authTimer = setTimeout(() => void this.renewToken(), Math.min(MAX_TIMER, Math.max(0, at - now)));
  }

  private async renewToken(): Promise<void> {
    const ws = this.ws;
    const current = this.token;
    if (!ws || !current) return;
    let fresh: string;
    try {
      fresh = await this.opts.getToken({ forceRefresh: true });
    } catch (e) {
      this.log.warn('parley: the token provider failed', e);
      if (this.ws === ws) this.scheduleAuth(5_000);
      return;
    }
    if (this.ws !== ws || !this.welcomed) return;
    const oldExp = tokenExpiresAt(current) ?? 0;
    const newExp = tokenExpiresAt(fresh) ?? 0;
    if (newExp <= oldExp) {
      // not fresher: ask again shortly (at most until the old one expires)
      this.scheduleAuth(Math.min(5_000, Math.max(500, (oldExp - this.now()) / 2)));
      return;
    }
    const ref = this.nextRef('auth');
    this.authRef = { ref, token: fresh };
    if (!this.send0({ type: 'auth', ref, token: fresh })) this.authRef = undefined;
  }

  // --- ordered messages --------------------------------------------------------------------------------------

  /**
   * Tracks a conversation: messages up to `lastSeq` count as delivered (later ones are delivered once, in order; a
   * gap is read from the history) and each reconnect resumes it from the highest seq delivered.
   */
  track(conversationId: string, lastSeq: number): void {
    this.sequencer.track(conversationId, lastSeq);
  }

  /** Stops tracking a conversation (it is no longer resumed). */
  untrack(conversationId: string): void {
    this.sequencer.untrack(conversationId);
  }

  /** The highest seq delivered in a conversation, or undefined when it is not tracked. */
  lastSeq(conversationId: string): number | undefined {
    return this.sequencer.lastSeq(conversationId);
  }

  /** The positions a `resume` would send now: the highest seq delivered per tracked conversation. */
  positions(): Record<string, number> {
    return this.sequencer.positions();
  }

  // --- typing and read ---------------------------------------------------------------------------------------

  /** Sends a `typing` frame; false when there is no open connection (nothing is queued). */
  typing(conversationId: string, state: 'start' | 'stop'): boolean {
    return this.send0({ type: 'typing', conversationId, state });
  }

  /**
   * Marks a conversation read up to `seq`: with a `read` frame when connected (sent again over REST if the server
   * answers `unavailable`), else with `POST /api/conversations/{id}/read`.
   */
  async markRead(conversationId: string, seq: number): Promise<void> {
    const ref = this.nextRef('read');
    if (this.send0({ type: 'read', ref, conversationId, seq })) {
      this.readRefs.set(ref, { conversationId, seq });
      return;
    }
    await this.api.markRead(conversationId, seq);
  }

  // --- files -------------------------------------------------------------------------------------------------

  /**
   * Uploads a file to a conversation (`POST /api/conversations/{id}/attachments`) with progress and cancellation;
   * the same as `client.api.uploadAttachment` (see there). Then send it with `send(id, text, {attachments: [it]})`.
   */
  uploadAttachment(conversationId: string, file: UploadSource, options: UploadOptions = {}): Promise<Attachment> {
    return this.api.uploadAttachment(conversationId, file, options);
  }

  // --- outbox ------------------------------------------------------------------------------------------------

  /**
   * Writes a message through the outbox and returns its entry at once (status `pending`, a fresh `clientMessageId`
   * and `ref`). It is stored, sent when connected (again after each reconnect, always with the same
   * `clientMessageId`, until acknowledged) and ends as `sent` (with the stored message) or `failed` (with the
   * reason); follow it with the `outbox` event.
   *
   * `options.attachments`: uploads of this conversation (what {@link ParleyClient.uploadAttachment} answered, or
   * `{id}`), at most 10, in order; the `send` frame carries only their ids and the entry keeps what was given, so a
   * pending message can show its files. `content` may then be empty (it is left out of the frame).
   * Throws a `RangeError` over 10 attachments and a `TypeError` for one without an id.
   */
  send(conversationId: string, content: string, options: SendOptions = {}): OutboxEntry {
    if (this.closed) throw new Error('The client is closed');
    const attachments = (options.attachments ?? []).map((a) => ({ ...a }));
    if (attachments.length > MAX_ATTACHMENTS) throw new RangeError(`At most ${MAX_ATTACHMENTS} attachments per message`);
    if (attachments.some((a) => typeof a?.id !== 'string' || !a.id)) throw new TypeError('Each attachment needs its upload id');
    const clientMessageId = this.uuid();
    const entry: OutboxEntry = {
      clientMessageId,
      ref: `send-${clientMessageId}`,
      conversationId,
      content,
      status: 'pending',
      createdAt: this.now(),
      attempts: 0,
    };
    if (attachments.length > 0) entry.attachments = attachments;
    if (this.me) entry.userId = this.me;
    this.entries.set(clientMessageId, entry);
    this.byRef.set(entry.ref, clientMessageId);
    this.sendState.set(clientMessageId, { unavailable: 0 });
    this.persist(entry);
    this.events.emit('outbox', { ...entry });
    this.flush();
    return { ...entry };
  }

  /** Sends a `failed` entry again (same `clientMessageId`); false when there is no such failed entry. */
  retry(clientMessageId: string): boolean {
    const e = this.entries.get(clientMessageId);
    if (!e || e.status !== 'failed') return false;
    e.status = 'pending';
    delete e.error;
    this.sendState.set(clientMessageId, { unavailable: 0 });
    this.persist(e);
    this.events.emit('outbox', { ...e });
    this.flush();
    return true;
  }

  /**
   * Removes a pending or failed entry from the outbox (a pending one may still have reached the server); false
   * when there is none.
   */
  discard(clientMessageId: string): boolean {
    const e = this.entries.get(clientMessageId);
    if (!e) return false;
    this.forget(e);
    this.queueStorage(() => this.storage.delete(clientMessageId));
    this.events.emit('outbox', { ...e });
    this.flush();
    return true;
  }

  /** The entries still in the outbox (pending and failed), oldest first, of one conversation or all. */
  outbox(conversationId?: string): OutboxEntry[] {
    const all = [...this.entries.values()].map((e) => ({ ...e }));
    return conversationId === undefined ? all : all.filter((e) => e.conversationId === conversationId);
  }

  private forget(e: OutboxEntry): void {
    this.entries.delete(e.clientMessageId);
    this.byRef.delete(e.ref);
    this.sendState.delete(e.clientMessageId);
  }

  private queueStorage(op: () => Promise<void> | void): void {
    this.storageChain = this.storageChain
      .then(op)
      .catch((e) => this.log.warn('parley: the outbox storage failed', e));
  }

  private persist(e: OutboxEntry): void {
    const snapshot = { ...e };
    this.queueStorage(() => this.storage.put(snapshot));
  }

  private async loadOutbox(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    let stored: OutboxEntry[] = [];
    try {
      stored = await this.storage.load();
    } catch (e) {
      this.log.warn('parley: could not read the outbox storage', e);
    }
    const mine = stored.filter(
      (e) => (e.status === 'pending' || e.status === 'failed') && (!e.userId || !this.me || e.userId === this.me),
    );
    const merged = [...this.entries.values()];
    for (const e of mine) if (!this.entries.has(e.clientMessageId)) merged.push({ ...e });
    merged.sort((a, b) => a.createdAt - b.createdAt);
    this.entries.clear();
    for (const e of merged) {
      this.entries.set(e.clientMessageId, e);
      this.byRef.set(e.ref, e.clientMessageId);
      if (!this.sendState.has(e.clientMessageId)) {
        this.sendState.set(e.clientMessageId, { unavailable: 0 });
        this.events.emit('outbox', { ...e });
      }
    }
    this.resolveReady();
  }

  /** Flushes the outbox in order: per conversation, the oldest pending entry is the one on its way. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const ws = this.ws;
    if (!ws || !this.welcomed) return;
    const now = this.now();
    // a conversation with an entry on its way waits for its ack (or error) before the next one goes
    const busy = new Set<string>();
    for (const e of this.entries.values()) {
      if (e.status === 'pending' && this.sendState.get(e.clientMessageId)?.socket === ws) busy.add(e.conversationId);
    }
    let wake = Infinity;
    for (const e of this.entries.values()) {
      if (e.status !== 'pending' || busy.has(e.conversationId)) continue;
      busy.add(e.conversationId);
      const s = this.sendState.get(e.clientMessageId)!;
      if (s.notBefore !== undefined && s.notBefore > now) {
        wake = Math.min(wake, s.notBefore);
        continue;
      }
      const frame: ClientFrame = {
        type: 'send',
        ref: e.ref,
        conversationId: e.conversationId,
        clientMessageId: e.clientMessageId,
      };
      const files = e.attachments ?? [];
      // content is optional with attachments: an empty text is left out rather than sent as ""
      if (e.content !== '' || files.length === 0) frame.content = e.content;
      if (files.length > 0) frame.attachments = files.map((a) => ({ id: a.id }));
      if (!this.send0(frame)) return;
      s.socket = ws;
      delete s.notBefore;
      e.attempts++;
    }
    if (wake !== Infinity) this.flushTimer = setTimeout(() => this.flush(), Math.max(0, wake - now));
  }

  private onAck(frame: AckFrame): void {
    const id = this.byRef.get(frame.ref) ?? frame.message?.clientMessageId;
    const e = id === undefined ? undefined : this.entries.get(id);
    if (!e || e.status !== 'pending') return; // already ended (or discarded): exactly once
    this.forget(e);
    e.status = 'sent';
    e.message = frame.message;
    this.queueStorage(() => this.storage.delete(e.clientMessageId));
    this.events.emit('outbox', { ...e });
    // the ack also tells that this seq exists: a gap before it is filled when its message.created comes
    this.flush();
  }

  private onSendError(clientMessageId: string, frame: ErrorFrame): void {
    const e = this.entries.get(clientMessageId);
    const s = this.sendState.get(clientMessageId);
    if (!e || !s || e.status !== 'pending') return;
    delete s.socket;
    if (frame.code === 'rate_limited') {
      s.notBefore = this.now() + Math.max(0, frame.retryAfterMs ?? 1_000);
    } else if (frame.code === 'unauthorized') {
      // the connection's token is no longer good: connect again with a fresh one; the entry goes again after it
      this.needFreshToken = true;
      if (this.ws) this.dropSocket(this.ws, 4005, 'unauthorized');
      return;
    } else if (frame.code === 'unavailable' || !PERMANENT_SEND_ERRORS.includes(frame.code)) {
      s.unavailable++;
      const ceiling = Math.min(this.backoff.capMs, this.backoff.baseMs * 2 ** Math.min(s.unavailable - 1, 20));
      s.notBefore = this.now() + Math.floor((this.opts.random ?? Math.random)() * ceiling);
    } else {
      e.status = 'failed';
      e.error = { code: frame.code, message: frame.message };
      this.persist(e);
      this.events.emit('outbox', { ...e });
    }
    this.flush();
  }
}

/**
 * Makes a Parley client and (unless `autoConnect: false`) starts connecting.
 *
 * @example
 * ```ts
 * const client = createParleyClient({ baseUrl: 'https://chat.example.com', getToken: () => auth.token() });
 * client.on('message.created', ({ message }) => render(message));
 * client.track(conversationId, lastSeqShown);
 * client.send(conversationId, 'Hello');
 * ```
 */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  return new ParleyClient(options);
}
