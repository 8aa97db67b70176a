/**
 * `@parley/client`: the TypeScript client SDK of Parley.
 *
 * - {@link createParleyClient} makes a {@link ParleyClient}: one WebSocket that reconnects and resumes by itself,
 *   an ordered exactly-once message stream, an outbox, typing and read frames, token renewal;
 * - {@link ParleyApi} (`client.api`) has a typed call for every REST endpoint, uploads with progress and
 *   cancellation, and downloads of attachments with the token;
 * - the resource and frame types follow docs/api.md.
 *
 * @packageDocumentation
 */
export {
  createParleyClient,
  MAX_ATTACHMENTS,
  ParleyClient,
  PERMANENT_SEND_ERRORS,
  webSocketUrl,
  type ConnectionState,
  type Logger,
  type NetworkEvents,
  type ParleyClientOptions,
  type ParleyEvents,
  type SendOptions,
  type TokenTransport,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client.js';
export {
  ParleyApi,
  randomUuid,
  type AttachmentObjectUrl,
  type AttachmentTarget,
  type CreateConversationBody,
  type FetchAttachmentOptions,
  type FetchLike,
  type ListConversationsQuery,
  type ListMessagesQuery,
  type ParleyApiOptions,
  type SendMessageBody,
  type TokenProvider,
  type UploadOptions,
  type UploadSource,
  type XhrConstructor,
  type XhrLike,
} from './rest.js';
export { ParleyApiError, isParleyApiError, parseRetryAfter } from './errors.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { Sequencer, type SequencerOptions } from './sequencer.js';
export { Emitter, type Unsubscribe } from './emitter.js';
export { decodeJwt, tokenExpiresAt, type JwtClaims } from './jwt.js';
export {
  defaultOutboxStorage,
  IndexedDbOutboxStorage,
  LocalStorageOutboxStorage,
  MemoryOutboxStorage,
  type OutboxEntry,
  type OutboxStatus,
  type OutboxStorage,
  type StorageLike,
} from './storage.js';
export type * from './types.js';
