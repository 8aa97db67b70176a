import { useCallback, useEffect, useState } from 'react';
import { useConnectionState, useUnreadTotal } from '@parley/react';
import type { Session } from './auth';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { forgetNames, learnName } from './format';
import { NewConversation } from './NewConversation';
import { PushButton } from './PushButton';
import { SupportDesk } from './SupportDesk';

type Tab = 'inbox' | 'support' | 'unanswered';

function conversationFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('c');
}

export function App({ session }: { session: Session }) {
  const [selected, setSelected] = useState<string | null>(conversationFromUrl);
  const [tab, setTab] = useState<Tab>('inbox');
  const total = useUnreadTotal();
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    if (session.expiresAt === undefined) return;
    const t = setTimeout(() => setExpired(true), Math.min(2_147_483_647, Math.max(0, session.expiresAt - Date.now())));
    return () => clearTimeout(t);
  }, [session.expiresAt]);

  const open = useCallback((id: string | null) => {
    setSelected(id);
    const url = id ? `/?c=${encodeURIComponent(id)}` : '/';
    if (window.location.pathname + window.location.search !== url) history.pushState({ c: id }, '', url);
  }, []);

  useEffect(() => {
    const onPop = () => setSelected(conversationFromUrl());
    window.addEventListener('popstate', onPop);
    const sw = navigator.serviceWorker;
    const onMessage = (e: MessageEvent) => {
      const d = e.data as { type?: string; conversationId?: string } | null;
      if (d?.type === 'open-conversation' && d.conversationId) open(d.conversationId);
    };
    sw?.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('popstate', onPop);
      sw?.removeEventListener('message', onMessage);
    };
  }, [open]);

  useEffect(() => {
    document.title = total > 0 ? `(${total}) Parley` : 'Parley';
  }, [total]);

  const admin = session.role === 'admin';
  const signOut = () => {
    forgetNames();
    session.signOut();
  };
  learnName(session.userId, session.name);
  return (
    <div className="app" data-view={selected ? 'conversation' : 'list'}>
      <header className="topbar">
        <h1 className="brand">Parley</h1>
        <span className="me">
          {session.name} <span className="role">{session.role}</span>
        </span>
        {total > 0 && (
          <span className="total">
            <span aria-hidden="true">{total}</span>
            <span className="sr-only">{total === 1 ? '1 unread message' : `${total} unread messages`}</span>
          </span>
        )}
        <span className="spacer" />
        <ConnectionStatus />
        <PushButton />
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      {expired && (
        <p className="expired" role="alert">
          Your sign-in has expired: open a new sign-in link to go on.{' '}
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </p>
      )}
      <div className="panes">
        <section className="sidebar" aria-label="Conversation list">
          {admin && (
            <div role="tablist" aria-label="Views" className="tabs">
              {(
                [
                  ['inbox', 'Inbox'],
                  ['support', 'Support desk'],
                  ['unanswered', 'Unanswered'],
                ] as const
              ).map(([t, label]) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={tab === t}
                  className={tab === t ? 'tab active' : 'tab'}
                  onClick={() => setTab(t)}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
          {admin && tab !== 'inbox' ? (
            <SupportDesk filter={tab} me={session.userId} selected={selected} onOpen={open} />
          ) : (
            <>
              <ConversationList me={session.userId} role={session.role} selected={selected} onOpen={open} />
              <NewConversation onCreated={open} />
            </>
          )}
        </section>
        <main className="main">
          {selected ? (
            <ConversationView key={selected} id={selected} session={session} onBack={() => open(null)} />
          ) : (
            <div className="empty">
              <p>Choose a conversation{admin ? ' or open the support desk' : ''}.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}

function ConnectionStatus() {
  const state = useConnectionState();
  return (
    <span role="status" className={`conn conn-${state}`} title="Connection">
      {state}
    </span>
  );
}
