import { useEffect, useState } from 'react';
import { useSupportDesk, usePresence, waitingSince } from '@parley/react';
import { ConversationItem, presenceOf } from './ConversationList';
import { duration, nameOf } from './format';

interface Props {
  filter: 'support' | 'unanswered';
  me: string;
  selected: string | null;
  onOpen: (id: string) => void;
}

export function SupportDesk({ filter, me, selected, onOpen }: Props) {
  const desk = useSupportDesk(filter);
  const clients = [...new Set(desk.conversations.flatMap((c) => c.participants))];
  const presence = usePresence(clients);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  if (desk.status === 'pending') return <p className="muted pad">Loading the support desk…</p>;
  if (desk.status === 'error')
    return (
      <p className="pad" role="alert">
        The support desk could not be read. <button onClick={desk.refresh}>Try again</button>
      </p>
    );
  return (
    <>
      <ul aria-label={filter === 'unanswered' ? 'Unanswered support conversations' : 'Support desk'} className="convlist">
        {desk.conversations.map((c) => {
          const since = waitingSince(c);
          return (
            <ConversationItem
              key={c.id}
              c={c}
              me={me}
              role="admin"
              active={c.id === selected}
              online={presenceOf(c.participants, presence)}
              onOpen={onOpen}
              extra={
                <span className="desk-meta">
                  {!c.lastMessage ? (
                    <span>no messages yet</span>
                  ) : since ? (
                    <>
                      <span className="waiting">waiting {duration(now - Date.parse(since))}</span>
                      <span> · {c.answeredBy ? `last answered by ${nameOf(c.answeredBy, c)}` : 'never answered'}</span>
                    </>
                  ) : (
                    <span className="answered">answered by {c.answeredBy ? nameOf(c.answeredBy, c) : 'support'}</span>
                  )}
                </span>
              }
            />
          );
        })}
        {desk.conversations.length === 0 && (
          <li className="muted pad">{filter === 'unanswered' ? 'Nobody is waiting for a reply.' : 'No support conversations.'}</li>
        )}
      </ul>
      {desk.hasMore && (
        <button type="button" className="more" onClick={desk.loadMore} disabled={desk.loadingMore}>
          {desk.loadingMore ? 'Loading…' : 'More'}
        </button>
      )}
    </>
  );
}
