import { describe, expect, it } from 'vitest';
import { claimPath, roleOf } from '../src/role';

describe('the role shown is read where the services read it', () => {
  it('splits a claim path into member names, keeping a quoted name whole', () => {
    expect(claimPath('groups')).toEqual(['groups']);
    expect(claimPath('realm_access/roles')).toEqual(['realm_access', 'roles']);
    expect(claimPath('"https://parley.example/roles"')).toEqual(['https://parley.example/roles']);
    expect(claimPath('app/"a/b"/roles')).toEqual(['app', 'a/b', 'roles']);
  });

  it('reads groups when no claim is named', () => {
    expect(roleOf({ sub: 'u', groups: ['admin'] })).toBe('admin');
    expect(roleOf({ sub: 'u', groups: ['expert'] })).toBe('expert');
    expect(roleOf({ sub: 'u', groups: ['client'] })).toBe('client');
  });

  it("reads Keycloak's realm roles among the realm's other roles", () => {
    const claims = {
      sub: 'u',
      realm_access: { roles: ['default-roles-parley', 'offline_access', 'admin', 'uma_authorization'] },
      groups: ['client'],
    };
    expect(roleOf(claims, 'realm_access/roles')).toBe('admin');
    expect(roleOf({ sub: 'u', realm_access: { roles: ['expert'] } }, 'realm_access/roles')).toBe('expert');
  });

  it("reads Supabase's one-string role and a string of roles separated by spaces", () => {
    expect(roleOf({ sub: 'u', app_metadata: { role: 'expert' } }, 'app_metadata/role')).toBe('expert');
    expect(roleOf({ sub: 'u', scope: 'openid client admin' }, 'scope')).toBe('admin');
  });

  it('a namespaced claim whose name holds slashes', () => {
    expect(roleOf({ sub: 'u', 'https://parley.example/roles': ['admin'] }, '"https://parley.example/roles"')).toBe('admin');
  });

  it('shows client, never a higher role, when the named claim is missing or of another shape', () => {
    // the services read only the named claim: groups elsewhere in the token gives nothing
    expect(roleOf({ sub: 'u', groups: ['admin'] }, 'realm_access/roles')).toBe('client');
    expect(roleOf({ sub: 'u', realm_access: 'admin' }, 'realm_access/roles')).toBe('client');
    expect(roleOf({ sub: 'u', realm_access: { roles: [7, null, { admin: true }] } }, 'realm_access/roles')).toBe('client');
    expect(roleOf({ sub: 'u', realm_access: null }, 'realm_access/roles')).toBe('client');
    expect(roleOf({ sub: 'u' })).toBe('client');
  });
});
