import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isParleyApiError, type Conversation } from '@parley/client';
import { parleyKeys, removeConversation, useParleyClient, type ConversationsData } from '@parley/react';
import { nameOf } from './format';

/**
 * A group's participants: add one or remove one (offered to the group's creator and to admins only: the server refuses
 * anyone else), or leave (everyone).
 */
export function Participants({
  conversation,
  me,
  admin,
  onLeft,
}: {
  conversation: Conversation;
  me: string;
  admin: boolean;
  onLeft: () => void;
}) {
  const client = useParleyClient();
  const qc = useQueryClient();
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = conversation.id;
  // a view without createdBy (cached before the field existed) offers everything, and the server decides
  const manages = admin || !conversation.createdBy || conversation.createdBy === me;

  const wrap = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(isParleyApiError(e) ? (e.detail ?? e.title) : 'That did not work.');
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const u = userId.trim();
    if (!u) return;
    void wrap(async () => {
      qc.setQueryData(parleyKeys.conversation(id), await client.api.addParticipant(id, u));
      setUserId('');
    });
  };
  const remove = (u: string) =>
    wrap(async () => {
      await client.api.removeParticipant(id, u);
      if (u === me) {
        qc.setQueryData<ConversationsData>(parleyKeys.conversations(), (d) => removeConversation(d, id));
        client.untrack(id);
        onLeft();
      } else {
        qc.setQueryData<Conversation>(parleyKeys.conversation(id), (c) =>
          c ? { ...c, participants: c.participants.filter((p) => p !== u) } : c,
        );
      }
    });

  return (
    <details className="participants">
      <summary>Participants ({conversation.participants.length})</summary>
      <ul aria-label="Participants">
        {conversation.participants.map((u) => (
          <li key={u}>
            <span title={u}>{u === me ? `${nameOf(u, conversation)} (you)` : nameOf(u, conversation)}</span>{' '}
            {(u === me || manages) && (
              <button type="button" className="link" onClick={() => void remove(u)}>
                {u === me ? 'Leave' : `Remove`}
                {u !== me && <span className="sr-only"> {u}</span>}
              </button>
            )}
          </li>
        ))}
      </ul>
      {manages && (
        <form onSubmit={add}>
          <label>
            Add a participant
            <input value={userId} onChange={(e) => setUserId(e.target.value)} placeholder="user id" />
          </label>
          <button type="submit" className="small">
            Add
          </button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
    </details>
  );
}
