import { decodeJwt, tokenExpiresAt, type TokenProvider } from '@parley/client';

export type Role = 'client' | 'expert' | 'admin';

/** The signed-in user, from the token's claims. */
export interface Session {
  userId: string;
  name: string;
  role: Role;
  getToken: TokenProvider;
  signOut: () => void;
  /** When the token ends for good (fragment tokens cannot be renewed); undefined when it is renewed (OIDC). */
  expiresAt?: number;
}

/** Why there is no session: nothing given, an expired token, or an OIDC issuer to sign in with. */
export type NoSession =
  | { reason: 'none' | 'expired' | 'invalid'; signIn?: undefined }
  | { reason: 'oidc'; signIn: () => Promise<void>; error?: string };

const STORAGE_KEY = 'parley.token';

interface OidcConfig {
  authority: string;
  clientId: string;
  scope?: string;
}

function roleOf(claims: Record<string, unknown>): Role {
  const groups = Array.isArray(claims.groups) ? (claims.groups as unknown[]) : [];
  if (groups.includes('admin')) return 'admin';
  if (groups.includes('expert')) return 'expert';
  return 'client';
}

function sessionFromToken(token: string, getToken: TokenProvider, signOut: () => void): Session | null {
  const claims = decodeJwt(token) as Record<string, unknown> | undefined;
  if (!claims || typeof claims.sub !== 'string') return null;
  const name =
    (typeof claims.name === 'string' && claims.name) ||
    (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
    claims.sub;
  return { userId: claims.sub, name, role: roleOf(claims), getToken, signOut };
}

async function readConfig(): Promise<OidcConfig | null> {
  try {
    const res = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
    const body = (await res.json()) as { oidc?: Partial<OidcConfig> } | null;
    const o = body?.oidc;
    if (o && typeof o.authority === 'string' && typeof o.clientId === 'string') {
      return { authority: o.authority, clientId: o.clientId, ...(typeof o.scope === 'string' ? { scope: o.scope } : {}) };
    }
  } catch {
    // no configuration: the token comes from the address
  }
  return null;
}

/** Sign-in with the token of the address's fragment (`#access_token=`), kept in sessionStorage. */
function fragmentSession(): Session | NoSession {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = hash.get('access_token');
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    hash.delete('access_token');
    const rest = hash.toString();
    history.replaceState(history.state, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
  }
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return { reason: 'none' };
  const exp = tokenExpiresAt(token);
  if (exp !== undefined && exp <= Date.now()) {
    sessionStorage.removeItem(STORAGE_KEY);
    return { reason: 'expired' };
  }
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY);
    window.location.replace(window.location.pathname);
  };
  // the fragment's token cannot be renewed: the same one is handed out until it expires (then sign in again)
  const getToken: TokenProvider = async () => sessionStorage.getItem(STORAGE_KEY) ?? token;
  const session = sessionFromToken(token, getToken, signOut);
  if (!session) return { reason: 'invalid' };
  if (exp !== undefined) session.expiresAt = exp;
  return session;
}

/** Authorization code with PKCE and silent renewal (oidc-client-ts, loaded only when an issuer is configured). */
async function oidcSession(config: OidcConfig): Promise<Session | NoSession> {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const origin = window.location.origin;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}/`,
    silent_redirect_uri: `${origin}/silent-renew.html`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: config.scope ?? 'openid profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  const params = new URLSearchParams(window.location.search);
  let error: string | undefined;
  if (params.has('code') && params.has('state')) {
    try {
      const user = await manager.signinRedirectCallback();
      const c = (user.state as { c?: string } | undefined)?.c;
      history.replaceState(null, '', c ? `/?c=${encodeURIComponent(c)}` : '/');
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      history.replaceState(null, '', '/');
    }
  }
  const signIn = (): Promise<void> => {
    const c = new URLSearchParams(window.location.search).get('c');
    return manager.signinRedirect(c ? { state: { c } } : undefined);
  };
  const user = await manager.getUser();
  if (!user || user.expired) return error ? { reason: 'oidc', signIn, error } : { reason: 'oidc', signIn };
  const getToken: TokenProvider = async ({ forceRefresh } = {}) => {
    let u = await manager.getUser();
    if (!u || u.expired || forceRefresh) {
      try {
        u = await manager.signinSilent();
      } catch {
        // keep what there is; the server says when it no longer works
      }
    }
    if (!u) throw new Error('signed out');
    return u.access_token;
  };
  const signOut = () => void manager.signoutRedirect().catch(() => manager.removeUser().then(() => location.replace('/')));
  return sessionFromToken(user.access_token, getToken, signOut) ?? { reason: 'oidc', signIn, error: 'The token has no subject.' };
}

/** Finds the user: with an OIDC issuer when `/config.json` names one, else from the address's fragment. */
export async function startSession(): Promise<Session | NoSession> {
  // a fragment token is taken even when an issuer is configured (the local stack's sign-in links)
  if (window.location.hash.includes('access_token=') || sessionStorage.getItem(STORAGE_KEY)) return fragmentSession();
  const config = await readConfig();
  if (config) return oidcSession(config);
  return fragmentSession();
}

export function isSession(s: Session | NoSession): s is Session {
  return 'userId' in s;
}
