/**
 * The resources and frames of the Parley client contract (docs/api.md).
 *
 * @packageDocumentation
 */

/** A user's role, from the token's `groups`. */
export type Role = 'client' | 'expert' | 'admin';

/** What a conversation is: a user's support conversation, a direct one between two users, or a group. */
export type ConversationType = 'support' | 'direct' | 'group';

/** A message's kind; clients send `text` or `file`, `system` messages come from the server only. */
export type MessageType = 'text' | 'file' | 'system';

/**
 * An uploaded file (docs/api.md, Files): the answer of `POST /api/conversations/{id}/attachments`, of
 * `GET /api/attachments/{id}/meta`, and each entry of a message's `attachments` (there without `conversationId` and
 * `createdAt`).
 */
export interface Attachment {
  /** The upload's id (a UUID). */
  id: string;
  /** The conversation it was uploaded to (absent in a message's list). */
  conversationId?: string;
  /** A safe display name (no path, no control characters, at most 255 characters). */
  name: string;
  /** The type detected from the bytes by the server (never the one the browser claimed). */
  contentType: string;
  /** The size in bytes. */
  size: number;
  /** The SHA-256 of the bytes, lowercase hex (also the download's ETag). */
  sha256: string;
  /** Images the server could decode: the width in pixels. */
  width?: number;
  /** Images the server could decode: the height in pixels. */
  height?: number;
  /** Where the bytes are: `/api/attachments/{id}` (needs the bearer token: see `ParleyApi.fetchAttachment`). */
  url: string;
  /** Images the server could decode: `/api/attachments/{id}/thumbnail` (at most 320 px on the long side). */
  thumbnailUrl?: string;
  /** ISO-8601 instant of the upload (absent in a message's list). */
  createdAt?: string;
}

/**
 * An attachment of a message written but not stored yet (an outbox entry): at least the upload's `id`, usually the
 * whole {@link Attachment} the upload answered (so that a pending message can show its files).
 */
export type PendingAttachment = AttachmentRef & Partial<Omit<Attachment, 'id'>>;

/** How a message names an upload when it is sent: `{id}` only (at most 10 per message). */
export interface AttachmentRef {
  /** The upload's id. */
  id: string;
}

/**
 * A stored message. `seq` counts 1, 2, 3... per conversation with no gap; a deleted message keeps its
 * place and seq, with `content` null, `attachments` empty and `deletedAt` set.
 */
export interface Message {
  /** The message's id (a UUID). */
  id: string;
  /** The conversation it belongs to. */
  conversationId: string;
  /** Its position in the conversation, from 1, with no gap. */
  seq: number;
  /** The sender's idempotency key (a UUID). */
  clientMessageId: string;
  /** The sender's user id. */
  senderId: string;
  /** The sender's role at the time of sending. */
  senderRole: Role;
  /** The sender's display name. */
  senderName: string;
  /** `text`, `file` or `system`. */
  type: MessageType;
  /** The text; `null` once deleted. */
  content: string | null;
  /** The attachments; empty once deleted. */
  attachments: Attachment[];
  /** ISO-8601 instant of creation. */
  createdAt: string;
  /** ISO-8601 instant of the last edit, or null. */
  editedAt: string | null;
  /** ISO-8601 instant of the deletion, or null. */
  deletedAt: string | null;
}

/** A conversation as the caller sees it (`readSeq`, `unreadCount`, `pinned`, `muted` are the caller's own). */
export interface Conversation {
  /** The conversation's id (a UUID). */
  id: string;
  /** `support`, `direct` or `group`. */
  type: ConversationType;
  /** The title, if any. */
  title: string | null;
  /** The participants' user ids. */
  participants: string[];
  /**
   * Display names known of the participants (user id to name, from their token's `name` claim when they last came
   * online); a participant never seen online with a named token is absent. Missing from a `conversation.created` frame.
   */
  names?: Record<string, string>;
  /**
   * The user who created it (a support conversation's owner): with the admins, the one who may add and remove a
   * group's participants.
   */
  createdBy: string;
  /** ISO-8601 instant of creation. */
  createdAt: string;
  /** The latest message as it is now (edited or deleted), or null. */
  lastMessage: Message | null;
  /** The seq of the latest message (0 before any). */
  lastSeq: number;
  /** How far the caller has read. */
  readSeq: number;
  /** `lastSeq - readSeq`. */
  unreadCount: number;
  /** True only on a support conversation, for its owner. */
  pinned: boolean;
  /** Whether the caller muted it. */
  muted: boolean;
  /** Support conversations: the last message is not from an admin. */
  awaitingReply: boolean;
  /** Support conversations: the admin who sent the last admin message, or null. */
  answeredBy: string | null;
  /**
   * Support conversations: ISO-8601 instant since when the client has been waiting for a reply (the first message not
   * from an admin after the last admin message); null when no reply is awaited, and on other conversations.
   */
  awaitingSince: string | null;
}

/** A page of the conversation list. */
export interface ConversationPage {
  /** The conversations, latest activity first. */
  items: Conversation[];
  /** Pass it as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A page of history, always in ascending seq order. */
export interface MessagePage {
  /** The messages, ascending by seq. */
  items: Message[];
  /** After `afterSeq`: more follow; before `beforeSeq` or latest: older ones exist. */
  hasMore: boolean;
}

/** The caller's unread counts. */
export interface UnreadCounts {
  /** The sum over all the caller's conversations. */
  total: number;
  /** Unread count per conversation id (only those with unread messages). */
  conversations: Record<string, number>;
}

/** A push subscription to register. */
export type PushSubscriptionRequest =
  | { kind: 'webpush'; endpoint: string; keys: { p256dh: string; auth: string } }
  | { kind: 'fcm'; token: string }
  | { kind: 'apns'; token: string };

/** A muted conversation. */
export interface Mute {
  /** The conversation muted. */
  conversationId: string;
  /** ISO-8601 instant until which it is muted, or null: until unmuted. */
  until: string | null;
}

/** The gateway's root document (`GET /`). */
export interface GatewayInfo {
  /** The service's name. */
  name: string;
  /** Where the REST API is. */
  api: string;
  /** Where the WebSocket is. */
  websocket: string;
  /** Where the OpenAPI document is. */
  openapi: string;
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket frames
// ---------------------------------------------------------------------------------------------------------------

/** The error codes of `error` frames. */
export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'too_large'
  | 'conflict'
  | 'unavailable'
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden'
  | (string & {});

/** `{type: welcome}`: the first frame of every connection. */
export interface WelcomeFrame {
  type: 'welcome';
  userId: string;
  connectionId: string;
}

/** A new message, to every connection of every participant (the sender's included). */
export interface MessageCreatedFrame {
  type: 'message.created';
  message: Message;
}

/** An edited message. */
export interface MessageUpdatedFrame {
  type: 'message.updated';
  message: Message;
}

/** A deleted message (content null, deletedAt set). */
export interface MessageDeletedFrame {
  type: 'message.deleted';
  message: Message;
}

/** Someone started or stopped typing. */
export interface TypingFrame {
  type: 'typing';
  conversationId: string;
  userId: string;
  state: 'start' | 'stop';
}

/** A user came online or went offline. */
export interface PresenceFrame {
  type: 'presence';
  userId: string;
  online: boolean;
  lastSeenAt: string | null;
  /** The user's display name from the token they came online with; null when unknown and in an `offline`. */
  name?: string | null;
}

/** A reader's position moved forward (seen receipts). */
export interface ReadFrame {
  type: 'read';
  conversationId: string;
  userId: string;
  seq: number;
}

/** The caller's unread counts changed. */
export interface UnreadFrame {
  type: 'unread';
  conversationId: string;
  count: number;
  total: number;
  /** When the counts were read (ISO-8601): frames may arrive out of order, an older one is to be ignored. */
  at?: string;
}

/** An error answering a frame. */
export interface ErrorFrame {
  type: 'error';
  ref?: string;
  code: ErrorCode;
  message: string;
  /** The conversation the error is about (resume, read, typing, send), when the server names it. */
  conversationId?: string;
  /** The frame field that was wrong (`invalid`). */
  field?: string;
  /** `rate_limited`: how long to wait before sending again. */
  retryAfterMs?: number;
}

/** A `send` was stored. */
export interface AckFrame {
  type: 'ack';
  ref: string;
  message: Message;
}

/** An `auth` frame was accepted. */
export interface AuthenticatedFrame {
  type: 'authenticated';
  ref?: string;
  /** ISO-8601 instant when the new token expires. */
  expiresAt: string;
}

/** The replay of a `resume` is over. */
export interface ResumedFrame {
  type: 'resumed';
  ref?: string;
}

/** The answer to a `ping`. */
export interface PongFrame {
  type: 'pong';
}

/** A new conversation as the `conversation.created` frame describes it: no messages yet, nothing of anyone's own. */
export interface ConversationSummary {
  id: string;
  type: ConversationType;
  title: string | null;
  /** The participants' user ids. */
  participants: string[];
  /** Who created it (for a support conversation, its client or expert). */
  createdBy: string;
  /** ISO-8601 instant of creation. */
  createdAt: string;
}

/** A conversation was created: to every participant's connections (every admin's too for support conversations). */
export interface ConversationCreatedFrame {
  type: 'conversation.created';
  conversation: ConversationSummary;
}

/** @deprecated the name of {@link ConversationCreatedFrame} in earlier versions. */
export type ConversationFrame = ConversationCreatedFrame;

/** A participant joined a group: to every participant's connections after it, the added user's included. */
export interface ParticipantAddedFrame {
  type: 'participant.added';
  conversationId: string;
  /** Who joined. */
  userId: string;
  /** The participants after the addition. */
  participants: string[];
}

/** A participant left or was removed: to the remaining participants' connections and to the removed user's. */
export interface ParticipantRemovedFrame {
  type: 'participant.removed';
  conversationId: string;
  /** Who left. */
  userId: string;
  /** The participants after the removal. */
  participants: string[];
}

/** Every frame the server sends. */
export type ServerFrame =
  | WelcomeFrame
  | MessageCreatedFrame
  | MessageUpdatedFrame
  | MessageDeletedFrame
  | TypingFrame
  | PresenceFrame
  | ReadFrame
  | UnreadFrame
  | ErrorFrame
  | AckFrame
  | AuthenticatedFrame
  | ResumedFrame
  | PongFrame
  | ConversationCreatedFrame
  | ParticipantAddedFrame
  | ParticipantRemovedFrame;

/** Every frame a client sends. */
export type ClientFrame =
  | { type: 'ping' }
  | {
      type: 'send';
      ref: string;
      conversationId: string;
      clientMessageId: string;
      /** Optional when there are attachments. */
      content?: string;
      /** Uploads of the sender in this conversation, by id (at most 10). */
      attachments?: AttachmentRef[];
    }
  | { type: 'resume'; ref?: string; positions: Record<string, number> }
  | { type: 'auth'; ref?: string; token: string }
  | { type: 'typing'; ref?: string; conversationId: string; state: 'start' | 'stop' }
  | { type: 'read'; ref?: string; conversationId: string; seq: number };
