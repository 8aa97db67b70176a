import type { ReactNode } from 'react';
import { useConversations, usePresence, type PresenceMap } from '@parley/react';
import type { Conversation } from '@parley/client';
import type { Role } from './auth';
import { others, preview, shortTime, titleOf } from './format';

interface Props {
  me: string;
  role: Role;
  selected: string | null;
  onOpen: (id: string) => void;
}

export function ConversationList({ me, role, selected, onOpen }: Props) {
  const list = useConversations();
  const everyone = [...new Set(list.conversations.flatMap((c) => others(c, me)))];
  const presence = usePresence(everyone);
  if (list.status === 'pending') return <p className="muted pad">Loading conversations…</p>;
  if (list.status === 'error')
    return (
      <p className="pad" role="alert">
        The conversations could not be read. <button onClick={list.refresh}>Try again</button>
      </p>
    );
  return (
    <>
      <ul aria-label="Conversations" className="convlist">
        {list.conversations.map((c) => (
          <ConversationItem
            key={c.id}
            c={c}
            me={me}
            role={role}
            active={c.id === selected}
            online={presenceOf(others(c, me), presence)}
            onOpen={onOpen}
          />
        ))}
        {list.conversations.length === 0 && <li className="muted pad">No conversations yet.</li>}
      </ul>
      {list.hasMore && (
        <button type="button" className="more" onClick={list.loadMore} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'More conversations'}
        </button>
      )}
    </>
  );
}

export function ConversationItem({
  c,
  me,
  role,
  active,
  online,
  onOpen,
  extra,
}: {
  c: Conversation;
  me: string;
  role: Role;
  active: boolean;
  /** Someone else in it is online (true), nobody is (false), or nothing is known yet (undefined). */
  online: boolean | undefined;
  onOpen: (id: string) => void;
  extra?: ReactNode;
}) {
  const title = titleOf(c, me, role);
  return (
    <li className={active ? 'conv active' : 'conv'} data-conversation-id={c.id}>
      <button type="button" className="conv-button" aria-current={active ? 'true' : undefined} onClick={() => onOpen(c.id)}>
        <span
          className={online ? 'dot online' : 'dot'}
          role="img"
          aria-label={online === undefined ? 'presence unknown' : online ? 'online' : 'offline'}
        />
        <span className="conv-body">
          <span className="conv-top">
            <span className="conv-title">{title}</span>
            {c.type === 'support' && <span className="badge">Support</span>}
            {c.muted && <span className="badge muted-badge">Muted</span>}
            {c.type === 'group' && <span className="badge group">Group</span>}
            <span className="conv-time">{shortTime(c.lastMessage?.createdAt)}</span>
          </span>
          <span className="conv-preview">{preview(c.lastMessage, me)}</span>
          {extra}
        </span>
        {c.unreadCount > 0 && (
          <span className="unread-count" aria-label={`${c.unreadCount} unread`}>
            {c.unreadCount}
          </span>
        )}
      </button>
    </li>
  );
}

/** Online if anyone of them is; offline if every one of them is known to be offline; else unknown. */
export function presenceOf(users: string[], presence: PresenceMap): boolean | undefined {
  if (users.some((u) => presence[u]?.online)) return true;
  if (users.length > 0 && users.every((u) => presence[u] && !presence[u]!.online)) return false;
  return undefined;
}
