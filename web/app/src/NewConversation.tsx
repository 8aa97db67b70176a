import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isParleyApiError } from '@parley/client';
import { insertAtTop, parleyKeys, useParleyClient, type ConversationsData } from '@parley/react';

export function NewConversation({ onCreated }: { onCreated: (id: string) => void }) {
  const client = useParleyClient();
  const qc = useQueryClient();
  const [ids, setIds] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const users = ids.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    if (users.length === 0) return setError('Type at least one user id.');
    setBusy(true);
    setError(null);
    try {
      const c =
        users.length === 1 && !title.trim()
          ? await client.api.createDirectConversation(users[0]!)
          : await client.api.createGroupConversation(users, title.trim() || undefined);
      qc.setQueryData<ConversationsData>(parleyKeys.conversations(), (d) => insertAtTop(d, c));
      qc.setQueryData(parleyKeys.conversation(c.id), c);
      setIds('');
      setTitle('');
      onCreated(c.id);
    } catch (err) {
      setError(isParleyApiError(err) ? (err.detail ?? err.title) : 'The conversation could not be created.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="new">
      <summary>New conversation</summary>
      <form onSubmit={submit}>
        <label>
          User ids <span className="hint">(one for a direct conversation; several, or a title, for a group)</span>
          <input value={ids} onChange={(e) => setIds(e.target.value)} placeholder="bob, carol" autoComplete="off" />
        </label>
        <label>
          Title <span className="hint">(groups, optional)</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          Start
        </button>
      </form>
    </details>
  );
}
