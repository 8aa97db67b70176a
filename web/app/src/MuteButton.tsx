import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isParleyApiError, type Conversation } from '@parley/client';
import { parleyKeys, updateConversationInList, useParleyClient, type ConversationsData } from '@parley/react';

/**
 * Mutes or unmutes a conversation's push alerts for the caller (`PUT`/`DELETE /api/push/mutes/{id}`); the button is
 * pressed while muted. The views say `muted` once the server has the change; the caches follow at once.
 */
export function MuteButton({ conversation }: { conversation: Conversation }) {
  const client = useParleyClient();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const muted = conversation.muted;

  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (muted) await client.api.unmute(conversation.id);
      else await client.api.mute(conversation.id);
      const set = (c: Conversation): Conversation => ({ ...c, muted: !muted });
      qc.setQueryData<Conversation>(parleyKeys.conversation(conversation.id), (c) => (c ? set(c) : c));
      for (const key of [parleyKeys.conversations(), parleyKeys.desk('support'), parleyKeys.desk('unanswered')]) {
        qc.setQueryData<ConversationsData>(key, (d) => updateConversationInList(d, conversation.id, set));
      }
    } catch (e) {
      setError(`${muted ? 'Unmuting' : 'Muting'} failed${isParleyApiError(e) ? `: ${e.detail ?? e.title}` : '.'}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="mute">
      <button
        type="button"
        className="link"
        aria-pressed={muted}
        disabled={busy}
        onClick={() => void toggle()}
        title={muted ? 'Alerts for this conversation are off' : 'Turn off alerts for this conversation'}
      >
        {muted ? 'Unmute' : 'Mute'}
      </button>
      {error && <span role="alert"> {error}</span>}
    </span>
  );
}
