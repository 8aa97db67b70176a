/** The claims the client reads from a JWT (no signature is checked: the server does that). */
export interface JwtClaims {
  /** The user id. */
  sub?: string;
  /** Expiry, in seconds since the epoch. */
  exp?: number;
  /** The display name. */
  name?: string;
  /** The role (one of `client`, `expert`, `admin`). */
  groups?: string[];
  [claim: string]: unknown;
}

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads a JWT's payload without verifying it; undefined when it is not a readable JWT. */
export function decodeJwt(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length < 2) return undefined;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1]!)) as unknown;
    return claims && typeof claims === 'object' ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** The token's expiry in ms since the epoch, or undefined when it has none. */
export function tokenExpiresAt(token: string): number | undefined {
  const exp = decodeJwt(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}
