import { decodeJwt, tokenExpiresAt, type TokenProvider } from '@parley/client';
import { DEFAULT_ROLE_CLAIM, roleOf, type Role } from './role';

export type { Role } from './role';

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

/** What `GET /config.json` says: the issuer to sign in with (none: the address's fragment), where the role is. */
interface AppConfig {
  oidc: OidcConfig | null;
  roleClaim: string;
}

function sessionFromToken(token: string, getToken: TokenProvider, signOut: () => void, roleClaim: string): Session | null {
  const claims = decodeJwt(token) as Record<string, unknown> | undefined;
  if (!claims || typeof claims.sub !== 'string') return null;
  const name =
    (typeof claims.name === 'string' && claims.name) ||
    (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
    claims.sub;
  return { userId: claims.sub, name, role: roleOf(claims, roleClaim), getToken, signOut };
}

/**
 * Reads `GET /config.json` (the gateway's `PARLEY_WEB_OIDC_*` and `PARLEY_JWT_ROLE_CLAIM`). Anything missing or
 * unreadable means no issuer (the token comes from the address) and the role in `groups`.
 */
async function readConfig(): Promise<AppConfig> {
  const config: AppConfig = { oidc: null, roleClaim: DEFAULT_ROLE_CLAIM };
  try {
    const res = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return config;
    const body = (await res.json()) as { oidc?: Partial<OidcConfig>; roleClaim?: unknown } | null;
    if (typeof body?.roleClaim === 'string' && body.roleClaim.trim()) config.roleClaim = body.roleClaim;
    const o = body?.oidc;
    if (o && typeof o.authority === 'string' && typeof o.clientId === 'string') {
      config.oidc = { authority: o.authority, clientId: o.clientId, ...(typeof o.scope === 'string' ? { scope: o.scope } : {}) };
    }
  } catch {
    // no configuration: the token comes from the address
  }
  return config;
}

/** Sign-in with the token of the address's fragment (`#access_token=`), kept in sessionStorage. */
function fragmentSession(roleClaim: string): Session | NoSession {
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
  const session = sessionFromToken(token, getToken, signOut, roleClaim);
  if (!session) return { reason: 'invalid' };
  if (exp !== undefined) session.expiresAt = exp;
  return session;
}

/** Authorization code with PKCE and silent renewal (oidc-client-ts, loaded only when an issuer is configured). */
async function oidcSession(config: OidcConfig, roleClaim: string): Promise<Session | NoSession> {
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
  return sessionFromToken(user.access_token, getToken, signOut, roleClaim) ?? { reason: 'oidc', signIn, error: 'The token has no subject.' };
}

/**
 * Finds the user: with an OIDC issuer when `/config.json` names one, else from the address's fragment; either way the
 * role is read from the claim `/config.json` names (the services' `PARLEY_JWT_ROLE_CLAIM`).
 */
export async function startSession(): Promise<Session | NoSession> {
  const config = await readConfig();
  // a fragment token is taken even when an issuer is configured (the local stack's sign-in links)
  if (window.location.hash.includes('access_token=') || sessionStorage.getItem(STORAGE_KEY)) return fragmentSession(config.roleClaim);
  if (config.oidc) return oidcSession(config.oidc, config.roleClaim);
  return fragmentSession(config.roleClaim);
}

export function isSession(s: Session | NoSession): s is Session {
  return 'userId' in s;
}
