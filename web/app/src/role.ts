export type Role = 'client' | 'expert' | 'admin';

/** Where tokens hold the role when the gateway names no other place: MicroProfile JWT's `groups`. */
export const DEFAULT_ROLE_CLAIM = 'groups';

/**
 * The member names of a role claim path, as the services read `PARLEY_JWT_ROLE_CLAIM` (SmallRye JWT's
 * `smallrye.jwt.path.groups`): names from the top of the payload joined by `/`; a name in double quotes may hold `/`
 * itself (a namespaced claim such as `"https://example.com/roles"`). `realm_access/roles` is `['realm_access', 'roles']`.
 */
export function claimPath(path: string): string[] {
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of path.trim()) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '/' && !quoted) {
      names.push(current);
      current = '';
    } else current += ch;
  }
  names.push(current);
  return names.filter((n) => n.length > 0);
}

/**
 * The role a token's claims give, read where the services read it (`roleClaim`, from `GET /config.json`; `groups`
 * when the gateway names none): an array of strings, or one string of roles separated by spaces. `admin` wins over
 * `expert`, `expert` over `client`; a token without a Parley role shows as `client` (the services answer it 403).
 *
 * @param claims the token's payload
 * @param roleClaim the claim path, e.g. `groups`, `realm_access/roles` (Keycloak), `app_metadata/role` (Supabase)
 */
export function roleOf(claims: Record<string, unknown>, roleClaim: string = DEFAULT_ROLE_CLAIM): Role {
  const names = claimPath(roleClaim);
  let value: unknown = claims;
  for (const name of names.length ? names : [DEFAULT_ROLE_CLAIM]) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
  }
  const roles = Array.isArray(value)
    ? value.filter((r): r is string => typeof r === 'string')
    : typeof value === 'string'
      ? value.split(/\s+/)
      : [];
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('expert')) return 'expert';
  return 'client';
}
