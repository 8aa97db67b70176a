import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { isParleyApiError, type Conversation, type Message, type OutboxEntry } from '@parley/client';
import {
  useConversation,
  useMessages,
  usePresence,
  useReadReceipts,
  useSend,
  useTyping,
  useUploads,
  type TimelineItem,
  type UploadsResult,
} from '@parley/react';
import type { Session } from './auth';
import { learnName, nameOf, others, shortTime, titleOf, tooLong } from './format';
import { Participants } from './Participants';
import { MuteButton } from './MuteButton';
import { AttachmentList, PendingFiles, UploadList } from './Files';

interface Props {
  id: string;
  session: Session;
  onBack: () => void;
}

export function ConversationView({ id, session, onBack }: Props) {
  const me = session.userId;
  const conversation = useConversation(id);
  const c = conversation.data;
  const messages = useMessages(id);
  const actions = useSend(id);
  const { typing, signal } = useTyping(id);
  const receipts = useReadReceipts(id);
  const people = c ? others(c, me) : [];
  const presence = usePresence(people);
  const logRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const olderAnchor = useRef<{ height: number; top: number } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const uploads = useUploads(id);
  const [dragging, setDragging] = useState(0);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

  // on a phone the list disappears when a conversation opens: move the focus to its heading (wide screens focus
  // the message box instead)
  useEffect(() => {
    if (!window.matchMedia?.('(min-width: 721px)').matches) headingRef.current?.focus();
  }, []);

  // read up to the last message while the page is visible
  const lastSeq = Math.max(messages.lastSeq, 0);
  const readSeq = c?.readSeq ?? 0;
  const { markRead } = receipts;
  useEffect(() => {
    const read = () => {
      if (document.visibilityState === 'visible' && lastSeq > readSeq) markRead(lastSeq);
    };
    read();
    document.addEventListener('visibilitychange', read);
    return () => document.removeEventListener('visibilitychange', read);
  }, [lastSeq, readSeq, markRead]);

  // keep the view at the bottom for new messages (when it was there), and in place when older ones load
  const lastKey = messages.items[messages.items.length - 1]?.key;
  const firstKey = messages.items[0]?.key;
  useLayoutEffect(() => {
    const el = logRef.current;
    if (!el) return;
    if (olderAnchor.current) {
      el.scrollTop = el.scrollHeight - olderAnchor.current.height + olderAnchor.current.top;
      olderAnchor.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [lastKey, firstKey, typing.length]);

  const onScroll = () => {
    const el = logRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 60 && messages.hasOlder && !messages.loadingOlder) {
      olderAnchor.current = { height: el.scrollHeight, top: el.scrollTop };
      void messages.loadOlder();
    }
  };

  if (conversation.status === 'error' || messages.status === 'error') {
    const err = conversation.error ?? messages.error;
    const gone = isParleyApiError(err) && err.status === 404;
    return (
      <section className="conversation" aria-label="Conversation">
        <header className="conv-header">
          <button type="button" className="back" onClick={onBack} aria-label="Back to the conversations">
            ←
          </button>
          <h2>{gone ? 'Not available' : 'Could not load'}</h2>
        </header>
        <p className="pad" role="alert">
          {gone ? 'This conversation does not exist or you are no longer part of it.' : 'The conversation could not be read.'}
        </p>
      </section>
    );
  }

  const title = c ? titleOf(c, me, session.role) : '…';
  // an admin typing in a support conversation is not a participant: shown as the support team unless named already
  const typingNames = typing.map((u) => {
    const name = nameOf(u, c);
    return name === u && c?.type === 'support' && !c.participants.includes(u) ? 'Support' : name;
  });
  const adminInSupport = session.role === 'admin' && c?.type === 'support';
  // every message of the caller's that someone else has read up to is seen, not only the latest (a later one not
  // yet read leaves the earlier ones seen)
  const seenOwn = (m: { senderId: string; seq: number }) => m.senderId === me && receipts.seenBy(m.seq).length > 0;

  const run = async (work: Promise<unknown>, what: string) => {
    try {
      await work;
      setNotice(null);
    } catch (e) {
      setNotice(`${what} failed${isParleyApiError(e) ? `: ${e.detail ?? e.title}` : '.'}`);
    }
  };

  return (
    <section
      className={dragging > 0 ? 'conversation dragging' : 'conversation'}
      aria-label={`Conversation: ${title}`}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging((n) => n + 1);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (hasFiles(e)) setDragging((n) => Math.max(0, n - 1));
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(0);
        uploads.add(e.dataTransfer.files);
      }}
    >
      {dragging > 0 && (
        <div className="dropzone" aria-hidden="true">
          Drop files to attach them
        </div>
      )}
      <header className="conv-header">
        <button type="button" className="back" onClick={onBack} aria-label="Back to the conversations">
          ←
        </button>
        <div className="conv-heading">
          <h2 ref={headingRef} tabIndex={-1}>
            {title} {c?.type === 'support' && <span className="badge">Support</span>}
          </h2>
          <p className="muted small">
            {c?.type === 'support' && c.participants.includes(me)
              ? 'Our support team answers here.'
              : people.length === 0
              ? 'Only you'
              : people.map((u, i) => (
                  <span key={u}>
                    {i > 0 && ', '}
                    <span className={presence[u]?.online ? 'dot online' : 'dot'} aria-hidden="true" /> {nameOf(u, c)}
                    {presence[u] && !presence[u]!.online && presence[u]!.lastSeenAt
                      ? ` (seen ${shortTime(presence[u]!.lastSeenAt)})`
                      : presence[u]?.online
                        ? ' (online)'
                        : ''}
                  </span>
                ))}
          </p>
        </div>
        {c && <MuteButton conversation={c} />}
        {c?.type === 'group' && <Participants conversation={c} me={me} admin={session.role === 'admin'} onLeft={onBack} />}
      </header>
      <div ref={logRef} className="log" role="log" aria-label="Messages" aria-live="polite" tabIndex={0} onScroll={onScroll}>
        {messages.hasOlder && (
          <div className="older">
            <button type="button" className="link" onClick={() => void messages.loadOlder()} disabled={messages.loadingOlder}>
              {messages.loadingOlder ? 'Loading older messages…' : 'Older messages'}
            </button>
          </div>
        )}
        {messages.status === 'pending' && <p className="muted pad">Loading messages…</p>}
        {messages.status === 'success' && messages.items.length === 0 && (
          <p className="muted pad">No messages yet. Say hello!</p>
        )}
        {messages.items.map((item) => (
          <Item
            key={item.key}
            item={item}
            me={me}
            seen={item.kind === 'message' && seenOwn(item.message)}
            canDelete={item.kind === 'message' && (item.message.senderId === me || adminInSupport)}
            editing={editing}
            setEditing={setEditing}
            onEdit={(m, content) => run(actions.edit(m.id, content), 'Editing')}
            onDelete={(m) => {
              if (window.confirm('Delete this message?')) void run(actions.remove(m.id), 'Deleting');
            }}
            onRetry={(e) => actions.retry(e.clientMessageId)}
            onDiscard={(e) => actions.discard(e.clientMessageId)}
          />
        ))}
      </div>
      <div className="typing" aria-live="polite">
        {typingNames.length > 0 && `${typingNames.join(', ')} ${typingNames.length > 1 ? 'are' : 'is'} typing…`}
      </div>
      {notice && (
        <p className="notice" role="alert">
          {notice}
        </p>
      )}
      <UploadList uploads={uploads} />
      <Composer
        uploads={uploads}
        onSend={(text) => {
          atBottom.current = true;
          actions.send(text, uploads.attachments.length > 0 ? { attachments: uploads.attachments } : undefined);
          uploads.clear();
          signal('stop');
        }}
        onTyping={signal}
      />
    </section>
  );
}

function Item({
  item,
  me,
  seen,
  canDelete,
  editing,
  setEditing,
  onEdit,
  onDelete,
  onRetry,
  onDiscard,
}: {
  item: TimelineItem;
  me: string;
  seen: boolean;
  canDelete: boolean;
  editing: string | null;
  setEditing: (id: string | null) => void;
  onEdit: (m: Message, content: string) => Promise<void>;
  onDelete: (m: Message) => void;
  onRetry: (e: OutboxEntry) => void;
  onDiscard: (e: OutboxEntry) => void;
}) {
  if (item.kind === 'outbox') {
    const e = item.entry;
    return (
      <article className={`msg own ${e.status}`} data-status={e.status} data-client-message-id={e.clientMessageId}>
        {(e.content || !e.attachments?.length) && <p className="content">{e.content}</p>}
        <PendingFiles attachments={e.attachments} />
        <p className="meta">
          {e.status === 'pending' ? (
            <span className="state">Sending…</span>
          ) : (
            <>
              <span className="state failed">Not sent{e.error ? `: ${e.error.message || e.error.code}` : ''}</span>{' '}
              <button type="button" className="link" onClick={() => onRetry(e)}>
                Retry
              </button>{' '}
              <button type="button" className="link" onClick={() => onDiscard(e)}>
                Discard
              </button>
            </>
          )}
        </p>
      </article>
    );
  }
  const m = item.message;
  learnName(m.senderId, m.senderName);
  const own = m.senderId === me;
  const deleted = !!m.deletedAt;
  return (
    <article
      className={`msg ${own ? 'own' : ''} ${deleted ? 'deleted' : ''} sent`}
      data-seq={m.seq}
      data-status="sent"
      data-client-message-id={m.clientMessageId}
    >
      {!own && (
        <p className="sender">
          {m.senderName}
          {m.senderRole === 'admin' && <span className="badge small">Support</span>}
        </p>
      )}
      {editing === m.id ? (
        <EditForm message={m} onCancel={() => setEditing(null)} onSave={(t) => onEdit(m, t).then(() => setEditing(null))} />
      ) : deleted ? (
        <p className="content">
          <em>Message deleted</em>
        </p>
      ) : (
        (m.content || m.attachments.length === 0) && <p className="content">{m.content}</p>
      )}
      {!deleted && editing !== m.id && <AttachmentList attachments={m.attachments} />}
      <p className="meta">
        <time dateTime={m.createdAt}>{shortTime(m.createdAt)}</time>
        {m.editedAt && !deleted && <span> · edited</span>}
        {own && !deleted && <span className="state"> · {seen ? 'Seen' : 'Sent'}</span>}
        {!deleted && own && editing !== m.id && m.content !== null && m.content !== '' && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setEditing(m.id)} aria-label={`Edit message ${m.seq}`}>
              Edit
            </button>
          </>
        )}
        {!deleted && canDelete && (
          <>
            {' '}
            <button type="button" className="link" onClick={() => onDelete(m)} aria-label={`Delete message ${m.seq}`}>
              Delete
            </button>
          </>
        )}
      </p>
    </article>
  );
}

function EditForm({ message, onCancel, onSave }: { message: Message; onCancel: () => void; onSave: (t: string) => Promise<void> }) {
  const [text, setText] = useState(message.content ?? '');
  const [empty, setEmpty] = useState(false);
  const overLimit = tooLong(text);
  const save = () => {
    if (overLimit) return;
    if (text.trim()) void onSave(text);
    else setEmpty(true);
  };
  return (
    <form
      className="edit"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        aria-label="Edit message"
        value={text}
        autoFocus
        aria-invalid={empty || overLimit ? true : undefined}
        aria-describedby={empty || overLimit ? `edit-empty-${message.id}` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setEmpty(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          }
        }}
      />
      {(empty || overLimit) && (
        <p id={`edit-empty-${message.id}`} className="error" role="alert">
          {overLimit ?? 'A message cannot be empty: write something, or cancel and delete it.'}
        </p>
      )}
      <button type="submit" className="primary small">
        Save
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function Composer({
  uploads,
  onSend,
  onTyping,
}: {
  uploads: UploadsResult;
  onSend: (text: string) => void;
  onTyping: (s: 'start' | 'stop') => void;
}) {
  const [text, setText] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const files = uploads.attachments.length;
  // a message waits for its files: Send is refused while one is still on its way
  const overLimit = tooLong(text);
  const canSend = !uploads.uploading && !overLimit && (text.trim() !== '' || files > 0);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!canSend) return;
    onSend(files > 0 && !text.trim() ? '' : text);
    setText('');
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = Array.from(e.clipboardData?.files ?? []);
    if (pasted.length === 0) return;
    e.preventDefault();
    uploads.add(pasted);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          if (e.target.files) uploads.add(e.target.files);
          e.target.value = '';
        }}
      />
      <button type="button" className="attach" onClick={() => picker.current?.click()} title="Attach files (or drop or paste them here)">
        <svg className="icon" aria-hidden="true" viewBox="0 0 24 24" width="16" height="16">
          <path
            d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l9.2-9.2a3.7 3.7 0 0 1 5.2 5.2l-9.2 9.2a1.8 1.8 0 0 1-2.6-2.6l8.5-8.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <span className="attach-label">Attach</span>
      </button>
      <textarea
        aria-label="Message"
        placeholder="Write a message"
        title="Enter sends; Shift+Enter starts a new line"
        rows={1}
        value={text}
        aria-invalid={overLimit ? true : undefined}
        aria-describedby={overLimit ? 'composer-too-long' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          onTyping(e.target.value ? 'start' : 'stop');
        }}
        onBlur={() => onTyping('stop')}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        autoFocus={window.matchMedia?.('(min-width: 721px)').matches}
      />
      <button
        type="submit"
        className="primary"
        disabled={!canSend}
        title={uploads.uploading ? 'Waiting for the files to upload' : overLimit ? 'The message is too long' : undefined}
      >
        Send
      </button>
      {overLimit && (
        <p id="composer-too-long" className="error" role="alert">
          {overLimit}
        </p>
      )}
    </form>
  );
}

export type { Conversation };
