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

void main();
