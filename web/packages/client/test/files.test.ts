import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyApi, ParleyApiError, type Attachment, type XhrConstructor, type XhrLike } from '../src/index.js';
import { msg, settle } from './helpers.js';
import { makeClient } from './setup.js';

const ATTACHMENT: Attachment = {
  id: '0b9a4d3e-1111-4222-8333-444455556666',
  conversationId: 'c1',
  name: 'photo.png',
  contentType: 'image/png',
  size: 5,
  sha256: 'ab'.repeat(32),
  width: 2,
  height: 1,
  url: '/api/attachments/0b9a4d3e-1111-4222-8333-444455556666',
  thumbnailUrl: '/api/attachments/0b9a4d3e-1111-4222-8333-444455556666/thumbnail',
  createdAt: '2026-01-01T00:00:00Z',
};

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A real HTTP server that records each request (body included) and answers with `answer`. */
async function server(answer: (req: Seen, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((r) => {
      srv.close(() => r());
      srv.closeAllConnections();
    }) };
}

/** Reads a recorded multipart body with the platform's own parser. */
async function formOf(s: Seen): Promise<FormData> {
  return new Response(new Uint8Array(s.body), { headers: { 'content-type': String(s.headers['content-type']) } }).formData();
}

const created = (res: http.ServerResponse, body: Attachment = ATTACHMENT) => {
  res.writeHead(201, { 'content-type': 'application/json', location: `/api/attachments/${body.id}` });
  res.end(JSON.stringify(body));
};
const problem = (res: http.ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, detail }));
};

describe('uploadAttachment over fetch (Node)', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('sends one multipart part named file, with its name, bytes and the token, and answers the Attachment', async () => {
    const s = await server((_req, res) => created(res));
    stop = s.close;
    const api = new ParleyApi({ baseUrl: s.base, getToken: async () => 'tok-1' });
    const progress: Array<[number, number]> = [];
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]);
    const a = await api.uploadAttachment('c 1', new File([bytes], 'photo.png', { type: 'image/png' }), {
      onProgress: (sent, total) => progress.push([sent, total]),
    });
    expect(a).toEqual(ATTACHMENT);
    expect(s.seen).toHaveLength(1);
    const req = s.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/conversations/c%201/attachments');
    expect(req.headers.authorization).toBe('Bearer tok-1');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(req);
    expect([...form.keys()]).toEqual(['file']);
    const part = form.get('file') as File;
    expect(part.name).toBe('photo.png');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes);
    // fetch has no upload progress: reported once, at the end
    expect(progress).toEqual([[5, 5]]);
  });

  it('takes {name, data} (string, bytes or Blob) and a bare Blob (named "file")', async () => {
    const s = await server((_req, res) => created(res));
    stop = s.close;
    const api = new ParleyApi({ baseUrl: s.base, getToken: async () => 't' });
    await api.uploadAttachment('c1', { name: 'notes é.txt', data: 'hello' });
    await api.uploadAttachment('c1', { name: 'b.bin', data: new Uint8Array([1, 2, 3]) });
    await api.uploadAttachment('c1', new Blob(['x']));
    const parts = await Promise.all(s.seen.map(async (r) => (await formOf(r)).get('file') as File));
    expect(parts.map((p) => p.name)).toEqual(['notes é.txt', 'b.bin', 'file']);
    expect(await parts[0]!.text()).toBe('hello');
    expect(parts[1]!.size).toBe(3);
  });

  it('maps refusals to ParleyApiError with the problem detail, the status and Retry-After', async () => {
    const answers: Array<[number, string, Record<string, string>?]> = [
      [413, 'The file is larger than 26214400 bytes.'],
      [415, 'Files of type application/x-msdownload are refused.'],
      [429, 'Too many uploads.', { 'retry-after': '17' }],
      [404, 'No such conversation.'],
      [400, 'The file is empty.'],
    ];
    let i = 0;
    const s = await server((_req, res) => {
      const [status, detail, headers] = answers[i++]!;
      problem(res, status, detail, headers);
    });
    stop = s.close;
    const api = new ParleyApi({ baseUrl: s.base, getToken: async () => 't' });
    for (const [status, detail, headers] of answers) {
      const e = await api.uploadAttachment('c1', { name: 'x', data: 'x' }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ParleyApiError);
      expect(e).toMatchObject({ status, detail });
      expect((e as ParleyApiError).retryAfter).toBe(headers ? 17 : undefined);
    }
  });

  it('retries a 401 once with a fresh token', async () => {
    let n = 0;
    const s = await server((_req, res) => (n++ === 0 ? problem(res, 401, 'expired') : created(res)));
    stop = s.close;
    const getToken = vi.fn(async (ctx?: { forceRefresh?: boolean }) => (ctx?.forceRefresh ? 'fresh' : 'stale'));
    const api = new ParleyApi({ baseUrl: s.base, getToken });
    await api.uploadAttachment('c1', { name: 'a.txt', data: 'a' });
    expect(s.seen.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect((await formOf(s.seen[1]!)).get('file')).toBeTruthy();
  });

  it('cancels: an AbortError, the request aborted, nothing answered', async () => {
    let hold: http.ServerResponse | undefined;
    const s = await server((req, res) => {
      if (req.method === 'POST') hold = res; // never answers
      else res.writeHead(204).end();
    });
    stop = async () => {
      hold?.destroy();
      await s.close();
    };
    const api = new ParleyApi({ baseUrl: s.base, getToken: async () => 't' });
    const ctl = new AbortController();
    const p = api.uploadAttachment('c1', { name: 'a.txt', data: 'a'.repeat(1000) }, { signal: ctl.signal });
    await vi.waitFor(() => expect(hold).toBeDefined());
    ctl.abort();
    const e = await p.catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    // an already aborted signal does not even start
    const e2 = await api.uploadAttachment('c1', { name: 'a', data: 'a' }, { signal: ctl.signal }).catch((x: unknown) => x);
    expect((e2 as Error).name).toBe('AbortError');
    expect(s.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('cancelled after the server answered: the stored upload is deleted', async () => {
    const s = await server((req, res) => {
      if (req.method === 'DELETE') return void res.writeHead(204).end();
      // headers now, the body a little later: the cancel comes in between
      res.writeHead(201, { 'content-type': 'application/json', location: ATTACHMENT.url });
      res.write('{"id":');
      setTimeout(() => res.end(`"${ATTACHMENT.id}"}`), 300);
    });
    stop = s.close;
    const ctl = new AbortController();
    const realFetch = globalThis.fetch;
    const fetch = vi.fn(async (input: string, init?: RequestInit) => {
      const res = await realFetch(input, init);
      if (init?.method === 'POST') setTimeout(() => ctl.abort(), 20);
      return res;
    });
    const api = new ParleyApi({ baseUrl: s.base, getToken: async () => 't', fetch });
    const e = await api.uploadAttachment('c1', { name: 'a', data: 'a' }, { signal: ctl.signal }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    await vi.waitFor(() => expect(s.seen.map((r) => `${r.method} ${r.url}`)).toContain(`DELETE ${ATTACHMENT.url}`));
  });
});

/** A scripted XMLHttpRequest: the test plays the network. */
class FakeXhr implements XhrLike {
  static all: FakeXhr[] = [];
  readyState = 0;
  status = 0;
  statusText = '';
  responseText = '';
  readonly upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  responseHeaders: Record<string, string> = {};
  body: FormData | undefined;
  aborted = false;
  constructor() {
    FakeXhr.all.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
    this.readyState = 1;
  }
  setRequestHeader(n: string, v: string) {
    this.headers[n] = v;
  }
  getResponseHeader(n: string) {
    return this.responseHeaders[n.toLowerCase()] ?? null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    if (this.readyState === 4) return;
    this.aborted = true;
    this.readyState = 4;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  headersIn(status: number, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseHeaders = headers;
    this.readyState = 2;
  }
  answer(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.headersIn(status, headers);
    this.responseText = JSON.stringify(body);
    this.readyState = 4;
    this.onload?.();
  }
}

describe('uploadAttachment over XMLHttpRequest (browsers)', () => {
  beforeEach(() => {
    FakeXhr.all = [];
  });
  const make = () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const api = new ParleyApi({
      baseUrl: 'https://gw.test',
      getToken: async () => 'tok',
      fetch,
      XMLHttpRequest: FakeXhr as unknown as XhrConstructor,
    });
    return { api, fetch };
  };

  it('reports the upload progress events and answers the Attachment', async () => {
    const { api } = make();
    const progress: Array<[number, number]> = [];
    const p = api.uploadAttachment('c1', new File(['hello'], 'a.txt'), { onProgress: (a, b) => progress.push([a, b]) });
    await vi.waitFor(() => expect(FakeXhr.all).toHaveLength(1));
    const x = FakeXhr.all[0]!;
    expect(x.method).toBe('POST');
    expect(x.url).toBe('https://gw.test/api/conversations/c1/attachments');
    expect(x.headers.Authorization).toBe('Bearer tok');
    expect((x.body!.get('file') as File).name).toBe('a.txt');
    x.progress(100, 400);
    x.progress(400, 400);
    x.answer(201, ATTACHMENT, { location: ATTACHMENT.url });
    expect(await p).toEqual(ATTACHMENT);
    expect(progress).toEqual([
      [100, 400],
      [400, 400],
    ]);
  });

  it('cancel aborts the request; once the 201 headers are in, the upload is deleted too', async () => {
    const { api, fetch } = make();
    const ctl1 = new AbortController();
    const p1 = api.uploadAttachment('c1', new File(['a'], 'a'), { signal: ctl1.signal });
    await vi.waitFor(() => expect(FakeXhr.all).toHaveLength(1));
    ctl1.abort();
    expect((await p1.catch((e: Error) => e)).name).toBe('AbortError');
    expect(FakeXhr.all[0]!.aborted).toBe(true);
    expect(fetch).not.toHaveBeenCalled();

    const ctl2 = new AbortController();
    const p2 = api.uploadAttachment('c1', new File(['b'], 'b'), { signal: ctl2.signal });
    await vi.waitFor(() => expect(FakeXhr.all).toHaveLength(2));
    FakeXhr.all[1]!.headersIn(201, { location: ATTACHMENT.url });
    ctl2.abort();
    expect((await p2.catch((e: Error) => e)).name).toBe('AbortError');
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(`${init.method} ${url}`).toBe(`DELETE https://gw.test${ATTACHMENT.url}`);
  });

  it('maps a 413 to ParleyApiError, and a network failure to a TypeError', async () => {
    const { api } = make();
    const p = api.uploadAttachment('c1', new File(['a'], 'big.bin'));
    await vi.waitFor(() => expect(FakeXhr.all).toHaveLength(1));
    FakeXhr.all[0]!.answer(413, { title: 'Content Too Large', status: 413, detail: 'The file is larger than 26214400 bytes.' });
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParleyApiError);
    expect(e).toMatchObject({ status: 413, detail: 'The file is larger than 26214400 bytes.' });

    const p2 = api.uploadAttachment('c1', new File(['a'], 'a'));
    await vi.waitFor(() => expect(FakeXhr.all).toHaveLength(2));
    FakeXhr.all[1]!.onerror?.();
    expect(await p2.catch((x: unknown) => x)).toBeInstanceOf(TypeError);
  });
});

describe('downloads', () => {
  const make = () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, headers: init?.headers as Record<string, string> });
      if (url.endsWith('/missing')) {
        return new Response(JSON.stringify({ title: 'Not Found', status: 404, detail: 'No such file.' }), { status: 404 });
      }
      return new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { 'content-type': 'image/png' } });
    });
    return { api: new ParleyApi({ baseUrl: 'https://gw.test/', getToken: async () => 'tok', fetch }), calls };
  };

  it('fetches the file or its thumbnail with the bearer token, as a Blob, with an optional range', async () => {
    const { api, calls } = make();
    const blob = await api.fetchAttachment(ATTACHMENT);
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBe(3);
    await api.fetchAttachment(ATTACHMENT, { thumbnail: true });
    await api.fetchAttachment(ATTACHMENT.id, { thumbnail: true, range: { start: 100, end: 199 } });
    await api.fetchAttachment(`https://gw.test${ATTACHMENT.url}`, { range: { start: 5 } });
    expect(calls.map((c) => c.url)).toEqual([
      `https://gw.test${ATTACHMENT.url}`,
      `https://gw.test${ATTACHMENT.url}/thumbnail`,
      `https://gw.test${ATTACHMENT.url}/thumbnail`,
      `https://gw.test${ATTACHMENT.url}`,
    ]);
    expect(calls.every((c) => c.headers.Authorization === 'Bearer tok')).toBe(true);
    expect(calls.map((c) => c.headers.Range)).toEqual([undefined, undefined, 'bytes=100-199', 'bytes=5-']);
    const e = await api.fetchAttachment('/api/attachments/missing').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 404, detail: 'No such file.' });
  });

  it('never sends the token to another origin or path', async () => {
    const { api, calls } = make();
    await expect(api.fetchAttachment('https://evil.test/api/attachments/x')).rejects.toThrow(/Not an address/);
    await expect(api.fetchAttachment('/api/conversations/x')).rejects.toThrow(/Not an attachment/);
    expect(calls).toEqual([]);
  });

  it('makes an object URL and revokes it once', async () => {
    const { api } = make();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const o = await api.attachmentObjectUrl(ATTACHMENT, { thumbnail: true });
    expect(o.url).toMatch(/^blob:/);
    expect(o.blob.size).toBe(3);
    o.revoke();
    o.revoke();
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(revoke).toHaveBeenCalledWith(o.url);
    revoke.mockRestore();
  });

  it('deletes an upload and reads its metadata', async () => {
    const calls: string[] = [];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method} ${url}`);
      return init?.method === 'DELETE' ? new Response(null, { status: 204 }) : Response.json(ATTACHMENT);
    });
    const api = new ParleyApi({ baseUrl: 'https://gw.test', getToken: async () => 'tok', fetch });
    await api.deleteAttachment(ATTACHMENT.id);
    expect(await api.getAttachment(ATTACHMENT.id)).toEqual(ATTACHMENT);
    expect(calls).toEqual([`DELETE https://gw.test${ATTACHMENT.url}`, `GET https://gw.test${ATTACHMENT.url}/meta`]);
  });
});

describe('sending attachments', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts the upload ids on the send frame, leaves an empty content out, and keeps the files on the entry', async () => {
    const t = makeClient();
    await settle();
    const s = t.ws.last();
    s.accept();
    const second = { ...ATTACHMENT, id: 'second', name: 'doc.pdf', contentType: 'application/pdf' };
    const entry = t.client.send('c', '', { attachments: [ATTACHMENT, second] });
    expect(entry.attachments?.map((a) => a.name)).toEqual(['photo.png', 'doc.pdf']);
    const frames = s.framesOf('send');
    expect(frames).toEqual([
      {
        type: 'send',
        ref: entry.ref,
        conversationId: 'c',
        clientMessageId: entry.clientMessageId,
        attachments: [{ id: ATTACHMENT.id }, { id: 'second' }],
      },
    ]);
    s.deliver({ type: 'ack', ref: entry.ref, message: msg('c', 1, { clientMessageId: entry.clientMessageId }) });
    const withText = t.client.send('c', 'look', { attachments: [{ id: 'x' }] });
    expect(s.framesOf('send')[1]).toMatchObject({ content: 'look', attachments: [{ id: 'x' }] });
    expect(withText.attachments).toEqual([{ id: 'x' }]);
    // stored with the entry: a reload sends the same ids
    await settle();
    expect(t.storage.load().find((e) => e.clientMessageId === withText.clientMessageId)?.attachments).toEqual([{ id: 'x' }]);
    expect(() => t.client.send('c', '', { attachments: Array.from({ length: 11 }, (_, i) => ({ id: `a${i}` })) })).toThrow(RangeError);
    expect(() => t.client.send('c', '', { attachments: [{ id: '' }] })).toThrow(TypeError);
    t.client.close();
  });

  it('REST sendMessage takes attachments as [{id}]', async () => {
    const bodies: unknown[] = [];
    const fetch = vi.fn(async (_u: string, init?: RequestInit) => {
      bodies.push(JSON.parse(init!.body as string));
      return Response.json({});
    });
    const api = new ParleyApi({ baseUrl: 'https://gw.test', getToken: async () => 't', fetch });
    await api.sendMessage('c', { clientMessageId: 'k', attachments: [{ id: 'u1' }] });
    expect(bodies).toEqual([{ clientMessageId: 'k', attachments: [{ id: 'u1' }] }]);
  });
});
