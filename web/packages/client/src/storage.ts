import type { ErrorCode, Message, PendingAttachment } from './types.js';

/**
 * Where an outbox entry is: `pending` (waiting or on its way; it is sent again with the same `clientMessageId` until
 * acknowledged), `sent` (stored by the server; `message` holds it) or `failed` (refused for a reason that sending
 * again cannot fix; `error` says which). Only `pending` and `failed` entries are kept in storage.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** One message written by the user, from the moment it is written until it is stored or given up. */
export interface OutboxEntry {
  /** The idempotency key, sent with every attempt (a UUID). */
  clientMessageId: string;
  /** The `ref` of the `send` frames of this entry (to match the `ack` or `error`). */
  ref: string;
  /** The conversation it goes to. */
  conversationId: string;
  /** The text (may be empty when there are attachments). */
  content: string;
  /** The uploads it carries, in order (only their ids are sent); absent when none. */
  attachments?: PendingAttachment[];
  /** Where it is. */
  status: OutboxStatus;
  /** When it was written (ms since the epoch). */
  createdAt: number;
  /** How many times it was put on a socket. */
  attempts: number;
  /** The writer's user id, when known (a storage shared by several users keeps each one's entries apart). */
  userId?: string;
  /** `failed`: why (the `error` frame's code and message). */
  error?: { code: ErrorCode; message: string };
  /** `sent`: the stored message from the `ack`. */
  message?: Message;
}

/**
 * Keeps the outbox across page reloads. Every method may be asynchronous; the client calls them one at a time, in
 * order.
 */
export interface OutboxStorage {
  /** Every stored entry. */
  load(): Promise<OutboxEntry[]> | OutboxEntry[];
  /** Adds or replaces the entry with this `clientMessageId`. */
  put(entry: OutboxEntry): Promise<void> | void;
  /** Removes the entry with this `clientMessageId` (nothing if there is none). */
  delete(clientMessageId: string): Promise<void> | void;
}

const copy = (e: OutboxEntry): OutboxEntry => JSON.parse(JSON.stringify(e)) as OutboxEntry;

/** An outbox kept in memory (Node, tests). Two clients given the same instance share it, as after a reload. */
export class MemoryOutboxStorage implements OutboxStorage {
  private readonly entries = new Map<string, OutboxEntry>();

  /** {@inheritDoc OutboxStorage.load} */
  load(): OutboxEntry[] {
    return [...this.entries.values()].map(copy);
  }

  /** {@inheritDoc OutboxStorage.put} */
  put(entry: OutboxEntry): void {
    this.entries.set(entry.clientMessageId, copy(entry));
  }

  /** {@inheritDoc OutboxStorage.delete} */
  delete(clientMessageId: string): void {
    this.entries.delete(clientMessageId);
  }
}

/** The part of the Web Storage API that {@link LocalStorageOutboxStorage} uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An outbox in `localStorage` (or any Web Storage), as one JSON value under `key`. */
export class LocalStorageOutboxStorage implements OutboxStorage {
  /** Keeps the outbox under `key` of `storage` (the global `localStorage` by default). */
  constructor(
    private readonly key = 'parley-outbox',
    private readonly storage: StorageLike = (globalThis as unknown as { localStorage: StorageLike }).localStorage,
  ) {}

  private read(): Record<string, OutboxEntry> {
    try {
      const raw = this.storage.getItem(this.key);
      return raw ? (JSON.parse(raw) as Record<string, OutboxEntry>) : {};
    } catch {
      return {};
    }
  }

  /** {@inheritDoc OutboxStorage.load} */
  load(): OutboxEntry[] {
    return Object.values(this.read());
  }

  /** {@inheritDoc OutboxStorage.put} */
  put(entry: OutboxEntry): void {
    const all = this.read();
    all[entry.clientMessageId] = entry;
    this.storage.setItem(this.key, JSON.stringify(all));
  }

  /** {@inheritDoc OutboxStorage.delete} */
  delete(clientMessageId: string): void {
    const all = this.read();
    if (!(clientMessageId in all)) return;
    delete all[clientMessageId];
    if (Object.keys(all).length === 0) this.storage.removeItem(this.key);
    else this.storage.setItem(this.key, JSON.stringify(all));
  }
}

/** An outbox in IndexedDB: database `dbName`, one object store `outbox` keyed by `clientMessageId`. */
export class IndexedDbOutboxStorage implements OutboxStorage {
  private db?: Promise<IDBDatabase>;

  /** Uses `factory` (the global `indexedDB` by default). */
  constructor(
    private readonly dbName = 'parley',
    private readonly factory: IDBFactory = (globalThis as unknown as { indexedDB: IDBFactory }).indexedDB,
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = this.factory.open(this.dbName, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains('outbox')) {
          req.result.createObjectStore('outbox', { keyPath: 'clientMessageId' });
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction('outbox', mode);
      const req = fn(tx.objectStore('outbox'));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  /** {@inheritDoc OutboxStorage.load} */
  load(): Promise<OutboxEntry[]> {
    return this.run('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
  }

  /** {@inheritDoc OutboxStorage.put} */
  async put(entry: OutboxEntry): Promise<void> {
    await this.run('readwrite', (s) => s.put(copy(entry)));
  }

  /** {@inheritDoc OutboxStorage.delete} */
  async delete(clientMessageId: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(clientMessageId));
  }
}

/**
 * The storage a client uses when none is given: IndexedDB in a browser that has it, else `localStorage`, else
 * memory (Node).
 */
export function defaultOutboxStorage(): OutboxStorage {
  const g = globalThis as { indexedDB?: IDBFactory; localStorage?: StorageLike; window?: unknown };
  if (g.window !== undefined && g.indexedDB) return new IndexedDbOutboxStorage();
  try {
    if (g.localStorage) return new LocalStorageOutboxStorage();
  } catch {
    // localStorage can throw when access is denied
  }
  return new MemoryOutboxStorage();
}
