import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { createParleyClient, MemoryOutboxStorage, type Attachment, type ParleyClient } from '@parley/client';
import { ParleyProvider, createParleyQueryClient, useAttachmentUrl, useUploads } from '../src/index.js';
import { fakeWebSocket, token } from './fixtures.js';

const attachment = (id: string, name: string): Attachment => ({
  id,
  conversationId: 'c1',
  name,
  contentType: 'application/pdf',
  size: 3,
  sha256: '00'.repeat(32),
  url: `/api/attachments/${id}`,
  createdAt: '2026-01-01T00:00:00Z',
});

let client: ParleyClient | undefined;
afterEach(() => client?.close());

/** A client whose uploads wait for the test: `answer(name, response)` settles the upload of that file. */
function setup() {
  const calls: string[] = [];
  const waiting = new Map<string, (r: Response) => void>();
  let n = 0;
  const fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input);
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (init?.method === 'POST' && url.pathname.endsWith('/attachments')) {
      const file = (init.body as FormData).get('file') as File;
      return new Promise<Response>((resolve, reject) => {
        waiting.set(file.name, resolve);
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    if (init?.method === 'DELETE') return new Response(null, { status: 204 });
    if (url.pathname.startsWith('/api/attachments/')) {
      return new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { 'content-type': 'image/png' } });
    }
    return new Response('{}', { status: 404 });
  };
  client = createParleyClient({
    baseUrl: 'http://parley.test',
    getToken: async () => token('alice'),
    WebSocket: fakeWebSocket().Ctor,
    storage: new MemoryOutboxStorage(),
    fetch,
    networkEvents: null,
    autoConnect: false,
    logger: { warn: () => {}, debug: () => {} },
  });
  const c = client;
  const qc = createParleyQueryClient();
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <ParleyProvider client={c} queryClient={qc}>
      {children}
    </ParleyProvider>
  );
  const answer = async (name: string, res: Response) => {
    await waitFor(() => expect(waiting.has(name)).toBe(true));
    await act(async () => {
      waiting.get(name)!(res);
      await new Promise((r) => setTimeout(r, 0));
    });
  };
  const created = (a: Attachment) =>
    new Response(JSON.stringify(a), { status: 201, headers: { 'content-type': 'application/json', location: a.url } });
  return { wrapper, calls, answer, created, nextId: () => `u${++n}` };
}

describe('useUploads', () => {
  it('uploads each file, keeps the order, and gives the finished ones as attachments', async () => {
    const t = setup();
    const { result } = renderHook(() => useUploads('c1'), { wrapper: t.wrapper });
    act(() => result.current.add([new File(['a'], 'a.pdf'), new File(['bb'], 'b.pdf')]));
    expect(result.current.items.map((i) => [i.name, i.status])).toEqual([
      ['a.pdf', 'uploading'],
      ['b.pdf', 'uploading'],
    ]);
    expect(result.current.uploading).toBe(true);
    await t.answer('b.pdf', t.created(attachment('u2', 'b.pdf')));
    await t.answer('a.pdf', t.created(attachment('u1', 'a.pdf')));
    await waitFor(() => expect(result.current.uploading).toBe(false));
    expect(result.current.items.map((i) => [i.name, i.status, i.percent])).toEqual([
      ['a.pdf', 'done', 100],
      ['b.pdf', 'done', 100],
    ]);
    expect(result.current.attachments.map((a) => a.id)).toEqual(['u1', 'u2']);
    act(() => result.current.clear());
    expect(result.current.items).toEqual([]);
    expect(t.calls.filter((c) => c.startsWith('DELETE'))).toEqual([]);
  });

  it('shows a refusal on its file; remove cancels one on its way and deletes a finished one', async () => {
    const t = setup();
    const { result } = renderHook(() => useUploads('c1'), { wrapper: t.wrapper });
    act(() => result.current.add([new File(['x'], 'big.bin'), new File(['y'], 'slow.pdf'), new File(['z'], 'done.pdf')]));
    await t.answer(
      'big.bin',
      new Response(JSON.stringify({ title: 'Content Too Large', status: 413, detail: 'Over 25 MiB.' }), {
        status: 413,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    await t.answer('done.pdf', t.created(attachment('u3', 'done.pdf')));
    const big = result.current.items[0]!;
    expect(big.status).toBe('error');
    expect(big.error).toMatchObject({ status: 413, detail: 'Over 25 MiB.' });
    act(() => result.current.remove(result.current.items[1]!.key)); // slow.pdf, on its way
    act(() => result.current.remove(result.current.items[1]!.key)); // done.pdf, finished
    expect(result.current.items.map((i) => i.name)).toEqual(['big.bin']);
    await waitFor(() => expect(t.calls).toContain('DELETE /api/attachments/u3'));
    expect(result.current.attachments).toEqual([]);
  });

  it('deletes the finished files no message carried when the conversation is left', async () => {
    const t = setup();
    const { result, unmount } = renderHook(() => useUploads('c1'), { wrapper: t.wrapper });
    act(() => result.current.add([new File(['a'], 'left.pdf')]));
    await t.answer('left.pdf', t.created(attachment('u9', 'left.pdf')));
    await waitFor(() => expect(result.current.attachments).toHaveLength(1));
    unmount();
    await waitFor(() => expect(t.calls).toContain('DELETE /api/attachments/u9'));
  });
});

describe('useAttachmentUrl', () => {
  it('loads the thumbnail with the token into an object URL', async () => {
    const t = setup();
    const a = { ...attachment('u5', 'p.png'), thumbnailUrl: '/api/attachments/u5/thumbnail' };
    const { result } = renderHook(() => useAttachmentUrl(a, { thumbnail: true }), { wrapper: t.wrapper });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.url).toMatch(/^blob:/);
    expect(t.calls).toContain('GET /api/attachments/u5/thumbnail');
  });
});
