import { vi } from 'vitest';
import {
  createParleyClient,
  MemoryOutboxStorage,
  type ConnectionState,
  type Message,
  type OutboxEntry,
  type ParleyClientOptions,
} from '../src/index.js';
import { fakeWebSocket, historyFetch, makeToken, quietLogger } from './helpers.js';

/** A client on a fake socket, a fake history and a memory outbox, with everything it emits recorded. */
export function makeClient(over: Partial<ParleyClientOptions> = {}, shared?: { storage?: MemoryOutboxStorage }) {
  const ws = fakeWebSocket();
  const history = new Map<string, Message[]>();
  const { fetch, calls } = historyFetch(history);
  let n = 0;
  const tokens: string[] = [];
  const getToken = vi.fn(async (_ctx?: { forceRefresh?: boolean }) => {
    const t = makeToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600, n: ++n });
    tokens.push(t);
    return t;
  });
  const storage = shared?.storage ?? new MemoryOutboxStorage();
  let ids = 0;
  const client = createParleyClient({
    baseUrl: 'http://gw.test/',
    getToken,
    WebSocket: ws.Ctor,
    fetch,
    storage,
    random: () => 0.5,
    logger: quietLogger,
    networkEvents: null,
    uuid: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    ...over,
  });
  const states: ConnectionState[] = [];
  client.on('state', (s) => states.push(s));
  const delivered: Message[] = [];
  client.on('message.created', (f) => delivered.push(f.message));
  const outbox: OutboxEntry[] = [];
  client.on('outbox', (e) => outbox.push(e));
  return { client, ws, history, fetch, calls, getToken, tokens, storage, states, delivered, outbox };
}
