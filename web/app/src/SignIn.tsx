import { useState } from 'react';
import type { NoSession } from './auth';

export function SignIn({ state }: { state: NoSession }) {
  const [error, setError] = useState<string | undefined>(state.reason === 'oidc' ? state.error : undefined);
  const signIn = () => {
    if (state.reason !== 'oidc') return;
    setError(undefined);
    state.signIn().catch((e: unknown) => setError(`the sign-in service could not be reached (${e instanceof Error ? e.message : String(e)})`));
  };
  return (
    <main className="signin">
      <h1>Parley</h1>
      {state.reason === 'oidc' ? (
        <>
          <p>Sign in with your organisation's account to see your conversations.</p>
          {error && <p role="alert">Signing in failed: {error}</p>}
          <button type="button" className="primary" onClick={signIn}>
            Sign in
          </button>
        </>
      ) : (
        <>
          {state.reason === 'expired' && <p role="alert">Your sign-in has expired.</p>}
          {state.reason === 'invalid' && <p role="alert">The sign-in link holds no valid token.</p>}
          <p>
            You are not signed in. Open the sign-in link you were given: it ends with{' '}
            <code>#access_token=…</code> and carries your token (the local stack prints one link per demo user when
            it starts). The token stays in this tab only and is removed from the address bar.
          </p>
        </>
      )}
    </main>
  );
}
