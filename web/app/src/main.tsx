import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createParleyClient } from '@parley/client';
import { ParleyProvider } from '@parley/react';
import { isSession, startSession } from './auth';
import { App } from './App';
import { SignIn } from './SignIn';
import './styles.css';

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const session = await startSession();
  if (!isSession(session)) {
    root.render(<SignIn state={session} />);
    return;
  }
  // the gateway serves the app, REST under /api and the socket at /ws on the same origin
  const client = createParleyClient({ baseUrl: window.location.origin, getToken: session.getToken, autoConnect: false });
  root.render(
    <StrictMode>
      <ParleyProvider client={client}>
        <App session={session} />
      </ParleyProvider>
    </StrictMode>,
  );
}

// A sign-in link (`#access_token=`) opened in a tab that shows the app already changes only the fragment, which
// loads nothing: start again, so that the link's user is signed in (in place of whoever was) as in a fresh tab.
window.addEventListener('hashchange', () => {
  if (window.location.hash.includes('access_token=')) window.location.reload();
});

void main();
