import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  decodeJwt,
  IndexedDbOutboxStorage,
  LocalStorageOutboxStorage,
  MemoryOutboxStorage,
  tokenExpiresAt,
  type OutboxEntry,
  type OutboxStorage,
  type StorageLike,
} from '../src/index.js';
import { makeToken } from './helpers.js';

const entry = (id: string, content = 'hi'): OutboxEntry => ({
  clientMessageId: id,
  ref: `send-${id}`,
  conversationId: 'c',
  content,
  status: 'pending',
  createdAt: 1,
  attempts: 0,
});

class MapStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

async function roundTrip(make: () => OutboxStorage) {
  const s = make();
  await s.put(entry('a'));
  await s.put(entry('b'));
  await s.put({ ...entry('a', 'edited'), status: 'failed', error: { code: 'too_large', message: 'big' } });
  await s.delete('b');
  await s.delete('nothing');
  const again = make(); // another instance on the same backing store, as after a reload
  const loaded = await again.load();
  expect(loaded).toEqual([{ ...entry('a', 'edited'), status: 'failed', error: { code: 'too_large', message: 'big' } }]);
}

describe('outbox storages', () => {
  it('memory', async () => {
    const m = new MemoryOutboxStorage();
    await roundTrip(() => m);
  });

  it('localStorage', async () => {
    const backing = new MapStorage();
    await roundTrip(() => new LocalStorageOutboxStorage('k', backing));
    await new LocalStorageOutboxStorage('k', backing).delete('a');
    expect(backing.map.size).toBe(0);
  });

  it('IndexedDB', async () => {
    await roundTrip(() => new IndexedDbOutboxStorage('parley-test', indexedDB));
  });
});

describe('jwt', () => {
  it('reads claims without verifying', () => {
    const t = makeToken({ sub: 'alice', exp: 2_000_000_000, name: 'Älice ✓' });
    expect(decodeJwt(t)).toMatchObject({ sub: 'alice', name: 'Älice ✓' });
    expect(tokenExpiresAt(t)).toBe(2_000_000_000_000);
    expect(decodeJwt('not a jwt')).toBeUndefined();
    expect(tokenExpiresAt('a.b.c')).toBeUndefined();
  });
});
