/**
 * `@parley/react`: a provider and hooks on @tanstack/react-query, kept live by `@parley/client`'s events. The query
 * cache is the only copy of the state: every live event becomes a `setQueryData` ({@link bindParleyCache}).
 *
 * @packageDocumentation
 */
export { ParleyProvider, useParleyClient, createParleyQueryClient, type ParleyProviderProps } from './provider.js';
export {
  useConversations,
  useSupportDesk,
  useConversation,
  useMessages,
  useSend,
  useTyping,
  usePresence,
  useReadReceipts,
  useUnreadTotal,
  useConnectionState,
  type ConversationListResult,
  type MessagesResult,
  type SendActions,
  type TypingResult,
  type ReadReceiptsResult,
} from './hooks.js';
export {
  useUploads,
  useAttachmentUrl,
  type UploadItem,
  type UploadStatus,
  type UploadsResult,
  type AttachmentUrlResult,
} from './files.js';
export { bindParleyCache, parleyKeys, TYPING_TIMEOUT_MS, type BindOptions, type DeskFilter } from './bind.js';
export * from './cache.js';
