import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { MemoryOutboxStorage } from '../src/index.js';
import { msg, settle } from './helpers.js';
import { makeClient } from './setup.js';

function ackFor(frame: Record<string, unknown>, seq: number) {
  return {
    type: 'ack' as const,
    ref: frame.ref as string,
    message: msg(frame.conversationId as string, seq, {
      clientMessageId: frame.clientMessageId as string,
      senderId: 'alice',
      content: frame.content as string,
    }),
  };
}

describe('outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows a message as pending at once, stores it, sends it and ends it as sent exactly once', async () => {
    const t = makeClient();
    const entry = t.client.send('c', 'hello');
    expect(entry).toMatchObject({ status: 'pending', conversationId: 'c', content: 'hello', attempts: 0 });
    expect(entry.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.ref).toBeTruthy();
    expect(t.outbox.map((e) => e.status)).toEqual(['pending']);
    await settle();
    expect(t.storage.load().map((e) => e.clientMessageId)).toEqual([entry.clientMessageId]);
    const s = t.ws.last();
    s.accept();
    const sends = s.framesOf('send');
    expect(sends).toEqual([
      { type: 'send', ref: entry.ref, conversationId: 'c', clientMessageId: entry.clientMessageId, content: 'hello' },
    ]);
    s.deliver(ackFor(sends[0]!, 7));
    s.deliver(ackFor(sends[0]!, 7)); // a second ack changes nothing
    await settle();
    expect(t.outbox.map((e) => e.status)).toEqual(['pending', 'sent']);
    expect(t.outbox[1]!.message?.seq).toBe(7);
    expect(t.client.outbox()).toEqual([]);
    expect(t.storage.load()).toEqual([]);
    t.client.close();
  });

  it('sends again with the same clientMessageId after a reconnect, after the resume frame', async () => {
    const t = makeClient();
    await settle();
    t.ws.last().accept();
    const entry = t.client.send('c', 'one');
    const first = t.ws.last().framesOf('send');
    expect(first.length).toBe(1);
    await settle(2_000);
    t.ws.last().serverClose(1006); // lost before the ack
    await settle();
    const s2 = t.ws.last();
    s2.accept();
    expect(s2.sent.map((f) => f.type)).toEqual(['resume', 'send']);
    expect(s2.sent[1]!.clientMessageId).toBe(entry.clientMessageId);
    expect(t.client.outbox()[0]!.attempts).toBe(2);
    s2.deliver(ackFor(s2.sent[1]!, 1));
    expect(t.outbox.filter((e) => e.status === 'sent').length).toBe(1);
    t.client.close();
  });

  it('keeps each conversation in the order written: the next one goes after the ack of the one before', async () => {
    const t = makeClient();
    await settle();
    const s = t.ws.last();
    s.accept();
    t.client.send('c', 'a');
    t.client.send('c', 'b');
    t.client.send('d', 'x');
    expect(s.framesOf('send').map((f) => f.content)).toEqual(['a', 'x']);
    s.deliver(ackFor(s.framesOf('send')[0]!, 1));
    expect(s.framesOf('send').map((f) => f.content)).toEqual(['a', 'x', 'b']);
    t.client.close();
  });

  it('ends as failed with the reason for an error that sending again cannot fix; retry and discard', async () => {
    const t = makeClient();
    await settle();
    const s = t.ws.last();
    s.accept();
    const big = t.client.send('c', 'x'.repeat(9000));
    const f = s.framesOf('send')[0]!;
    s.deliver({ type: 'error', ref: f.ref as string, code: 'too_large', message: 'content over 8,000 characters' });
    await settle();
    expect(t.outbox.at(-1)).toMatchObject({
      status: 'failed',
      error: { code: 'too_large', message: 'content over 8,000 characters' },
    });
    expect(t.storage.load()[0]!.status).toBe('failed');
    expect(s.framesOf('send').length).toBe(1);
    // a failed one does not hold the conversation
    t.client.send('c', 'short');
    expect(s.framesOf('send').length).toBe(2);
    expect(t.client.retry(big.clientMessageId)).toBe(true);
    expect(s.framesOf('send').length).toBe(2); // it waits for the ack of 'short', on its way
    s.deliver(ackFor(s.framesOf('send')[1]!, 1));
    expect(s.framesOf('send').length).toBe(3);
    expect(s.framesOf('send')[2]!.clientMessageId).toBe(big.clientMessageId);
    for (const code of ['not_found', 'conflict', 'forbidden', 'invalid']) {
      const e = t.client.send('z', code);
      const frame = s.framesOf('send').at(-1)!;
      expect(frame.clientMessageId).toBe(e.clientMessageId);
      s.deliver({ type: 'error', ref: frame.ref as string, code, message: code });
      expect(t.client.outbox('z').find((x) => x.clientMessageId === e.clientMessageId)?.status).toBe('failed');
    }
    expect(t.client.discard(big.clientMessageId)).toBe(true);
    expect(t.client.retry(big.clientMessageId)).toBe(false);
    await settle();
    expect(t.storage.load().some((e) => e.clientMessageId === big.clientMessageId)).toBe(false);
    t.client.close();
  });

  it('waits retryAfterMs after rate_limited, and backs off after unavailable', async () => {
    const t = makeClient(); // random() = 0.5
    await settle();
    const s = t.ws.last();
    s.accept();
    const e = t.client.send('c', 'hi');
    s.deliver({ type: 'error', ref: e.ref, code: 'rate_limited', message: 'slow down', retryAfterMs: 700 });
    await settle(699);
    expect(s.framesOf('send').length).toBe(1);
    await settle(1);
    expect(s.framesOf('send').length).toBe(2);
    s.deliver({ type: 'error', ref: e.ref, code: 'unavailable', message: 'send it again' });
    await settle(124);
    expect(s.framesOf('send').length).toBe(2);
    await settle(1);
    expect(s.framesOf('send').length).toBe(3);
    s.deliver({ type: 'error', ref: e.ref, code: 'unavailable', message: 'send it again' });
    await settle(250);
    expect(s.framesOf('send').length).toBe(4);
    expect(new Set(s.framesOf('send').map((f) => f.clientMessageId))).toEqual(new Set([e.clientMessageId]));
    expect(t.client.outbox()[0]!.status).toBe('pending');
    s.deliver(ackFor(s.framesOf('send')[3]!, 1));
    expect(t.outbox.at(-1)!.status).toBe('sent');
    t.client.close();
  });

  it('on unauthorized reconnects with a fresh token and sends the same entry again', async () => {
    const t = makeClient();
    await settle();
    t.ws.last().accept();
    const e = t.client.send('c', 'hi');
    t.ws.last().deliver({ type: 'error', ref: e.ref, code: 'unauthorized', message: 'token' });
    await settle();
    expect(t.getToken.mock.calls.at(-1)![0]).toEqual({ forceRefresh: true });
    const s2 = t.ws.last();
    expect(t.ws.sockets.length).toBe(2);
    s2.accept();
    expect(s2.sent.map((f) => f.type)).toEqual(['resume', 'send']);
    expect(s2.sent[1]!.clientMessageId).toBe(e.clientMessageId);
    expect(t.client.outbox()[0]!.status).toBe('pending');
    t.client.close();
  });

  it('survives a reload: a new client on the same storage sends what was pending, once', async () => {
    const storage = new MemoryOutboxStorage();
    const first = makeClient({}, { storage });
    await settle();
    // offline: the upgrade never succeeds
    const written = [first.client.send('c', 'one'), first.client.send('c', 'two')];
    await settle();
    first.client.close(); // the page goes away
    expect(storage.load().map((e) => e.content)).toEqual(['one', 'two']);

    const second = makeClient({}, { storage });
    await second.client.ready;
    expect(second.outbox.map((e) => [e.content, e.status])).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
    ]);
    await settle();
    const s = second.ws.last();
    s.accept();
    expect(s.framesOf('send').map((f) => f.clientMessageId)).toEqual([written[0]!.clientMessageId]);
    s.deliver(ackFor(s.framesOf('send')[0]!, 1));
    s.deliver(ackFor(s.framesOf('send')[1]!, 2));
    await settle();
    expect(s.framesOf('send').map((f) => f.clientMessageId)).toEqual(written.map((w) => w.clientMessageId));
    expect(second.outbox.filter((e) => e.status === 'sent').map((e) => e.content)).toEqual(['one', 'two']);
    expect(storage.load()).toEqual([]);
    second.client.close();

    // a third load finds nothing to send
    const third = makeClient({}, { storage });
    await third.client.ready;
    await settle();
    third.ws.last().accept();
    expect(third.ws.last().framesOf('send')).toEqual([]);
    third.client.close();
  });

  it("leaves another user's stored entries alone", async () => {
    const storage = new MemoryOutboxStorage();
    storage.put({
      clientMessageId: '11111111-1111-4111-8111-111111111111',
      ref: 'send-x',
      conversationId: 'c',
      content: 'bob wrote this',
      status: 'pending',
      createdAt: 1,
      attempts: 0,
      userId: 'bob',
    });
    const t = makeClient({}, { storage });
    await t.client.ready;
    await settle();
    t.ws.last().accept();
    expect(t.client.outbox()).toEqual([]);
    expect(t.ws.last().framesOf('send')).toEqual([]);
    expect(storage.load().length).toBe(1);
    t.client.close();
  });
});
