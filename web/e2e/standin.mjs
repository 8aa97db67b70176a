// A small stand-in for Parley's gateway, in memory, for trying the app and the browser tests without the Java stack.
// It serves web/app/dist at `/`, a subset of the REST API of docs/api.md under /api and the WebSocket at /ws, and
// trusts unsigned tokens (it checks no signature: never use it for anything but local tests).
//
//   node e2e/standin.mjs [port]      prints the address and one sign-in link per demo user
//
// Exported: startStandIn({port}) → {url, tokens, stop()}.
import http from 'node:http';
import { randomUUID, createHash } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'app', 'dist');

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
export function mintToken(sub, role, name, ttlSeconds = 3600) {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, groups: [role], name, iss: 'standin', exp: Math.floor(Date.now() / 1000) + ttlSeconds })}.unsigned`;
}
function claims(token) {
  try {
    const c = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    if (typeof c.sub !== 'string' || (c.exp && c.exp * 1000 < Date.now())) return null;
    const groups = Array.isArray(c.groups) ? c.groups : [];
    const role = groups.includes('admin') ? 'admin' : groups.includes('expert') ? 'expert' : 'client';
    return { sub: c.sub, role, name: c.name ?? c.sub };
  } catch {
    return null;
  }
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

// --- files (docs/api.md, Files), in memory ---------------------------------------------------------------------

const MiB = 1024 * 1024;
const REFUSED = new Set(['application/x-msdownload', 'application/x-executable', 'application/x-elf', 'application/x-sh']);

/** The type of some bytes from their first bytes (a small stand-in for the server's Apache Tika), and image sizes. */
function sniff(b) {
  const at = (i, ...xs) => xs.every((x, k) => b[i + k] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { contentType: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return { contentType: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (at(0, 0xff, 0xd8, 0xff)) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { contentType: 'image/jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
    return { contentType: 'image/jpeg' };
  }
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return { contentType: 'application/pdf' };
  if (at(0, 0x4d, 0x5a)) return { contentType: 'application/x-msdownload' };
  if (at(0, 0x7f, 0x45, 0x4c, 0x46)) return { contentType: 'application/x-executable' };
  if (at(0, 0x23, 0x21)) return { contentType: 'application/x-sh' };
  const text = b.subarray(0, 4096);
  if (!text.includes(0) && Buffer.from(text.toString('utf8'), 'utf8').equals(text)) {
    return { contentType: /^\s*<(!doctype html|html)/i.test(text.toString()) ? 'text/html' : 'text/plain' };
  }
  return { contentType: 'application/octet-stream' };
}

/** The contract's safe display name: after the last / or \, no control or bidi characters, trimmed, "file" if empty. */
function safeName(raw) {
  let n = String(raw ?? '');
  n = n.slice(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
  n = n.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '').trim();
  if (n === '' || n === '.' || n === '..') return 'file';
  const cps = [...n];
  if (cps.length > 255) {
    const dot = n.lastIndexOf('.');
    const ext = dot > 0 ? [...n.slice(dot)] : [];
    return ext.length > 0 && ext.length < 255 ? cps.slice(0, 255 - ext.length).join('') + ext.join('') : cps.slice(0, 255).join('');
  }
  return n;
}

const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);

export async function startStandIn({ port = 0, host = '127.0.0.1', oidc = null, maxFileSize = 25 * MiB, uploadsPerMinute = 30 } = {}) {
  const conversations = new Map(); // id -> {id,type,title,participants,createdAt,creator,messages,reads}
  const uploads = new Map(); // id -> {meta, bytes, uploader, messageId, deleted}
  const uploadTimes = new Map(); // userId -> [ms]
  const supportOf = new Map(); // userId -> conversation id
  const roles = new Map(); // userId -> role
  const conns = new Set(); // {ws, user}

  const support = (user) => {
    let id = supportOf.get(user.sub);
    if (!id) {
      id = randomUUID();
      conversations.set(id, { id, type: 'support', title: null, participants: [user.sub], createdAt: new Date().toISOString(), creator: user.sub, messages: [], reads: new Map() });
      supportOf.set(user.sub, id);
    }
    return conversations.get(id);
  };
  const canSee = (c, user) => c.participants.includes(user.sub) || (c.type === 'support' && user.role === 'admin');
  const view = (c, user) => {
    const last = c.messages.at(-1) ?? null;
    const lastSeq = last?.seq ?? 0;
    const readSeq = Math.min(c.reads.get(user.sub) ?? 0, lastSeq);
    const lastAdmin = [...c.messages].reverse().find((m) => m.senderRole === 'admin');
    const awaiting = c.type === 'support' && !!last && last.senderRole !== 'admin';
    const firstWaiting = awaiting ? c.messages.filter((m) => m.seq > (lastAdmin?.seq ?? 0))[0] : null;
    return {
      id: c.id, type: c.type, title: c.title, participants: [...c.participants], createdBy: c.creator, createdAt: c.createdAt,
      lastMessage: last, lastSeq, readSeq, unreadCount: lastSeq - readSeq,
      pinned: c.type === 'support' && c.participants.includes(user.sub), muted: false,
      awaitingReply: awaiting, answeredBy: c.type === 'support' ? (lastAdmin?.senderId ?? null) : null,
      awaitingSince: firstWaiting ? firstWaiting.createdAt : null,
    };
  };
  const activity = (c) => c.messages.at(-1)?.createdAt ?? c.createdAt;
  const listFor = (user, filter) => {
    let all = [...conversations.values()].filter((c) => canSee(c, user));
    if (filter === 'support') all = all.filter((c) => c.type === 'support');
    if (filter === 'unanswered') all = all.filter((c) => c.type === 'support' && view(c, user).awaitingReply);
    all.sort((a, b) => activity(b).localeCompare(activity(a)));
    if (!filter && user.role !== 'admin') {
      const s = support(user);
      all = [s, ...all.filter((c) => c.id !== s.id)];
    }
    return all;
  };
  const recipients = (c) => [...conns].filter((k) => canSee(c, k.user));
  const sendTo = (k, frame) => {
    if (k.ws.readyState === 1) k.ws.send(JSON.stringify(frame));
  };
  const unreadOf = (user) => {
    const conversationsCounts = {};
    let total = 0;
    for (const c of conversations.values()) {
      if (!c.participants.includes(user.sub)) continue;
      const v = view(c, user);
      if (v.unreadCount > 0) {
        conversationsCounts[c.id] = v.unreadCount;
        total += v.unreadCount;
      }
    }
    return { total, conversations: conversationsCounts };
  };
  const pushUnread = (c, userIds) => {
    for (const k of conns) {
      if (!userIds.includes(k.user.sub) || !c.participants.includes(k.user.sub)) continue;
      const u = unreadOf(k.user);
      sendTo(k, { type: 'unread', conversationId: c.id, count: view(c, k.user).unreadCount, total: u.total });
    }
  };
  /** Checks `attachments: [{id}]` of a send: null when good, else {status, code, detail, field}. */
  const checkAttachments = (c, user, list) => {
    if (list === undefined) return null;
    if (!Array.isArray(list) || list.length > 10) return { status: 400, code: 'invalid', field: 'attachments', detail: 'attachments must be a list of at most 10 objects.' };
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      if (!a || typeof a !== 'object' || Array.isArray(a) || Object.keys(a).length !== 1 || typeof a.id !== 'string') {
        return { status: 400, code: 'invalid', field: `attachments[${i}].id`, detail: `attachments[${i}].id must be a UUID.` };
      }
      const u = uploads.get(a.id);
      if (!u || u.deleted || u.meta.conversationId !== c.id || u.uploader !== user.sub) {
        return { status: 400, code: 'invalid', field: `attachments[${i}]`, detail: `attachments[${i}] is not an upload of yours in this conversation.` };
      }
      if (u.messageId) return { status: 409, code: 'conflict', field: `attachments[${i}]`, detail: `attachments[${i}] is attached to another message.` };
    }
    return null;
  };
  const store = (c, user, clientMessageId, content, attachmentRefs = []) => {
    const existing = c.messages.find((m) => m.clientMessageId === clientMessageId && m.senderId === user.sub);
    if (existing) return { message: existing, created: false };
    const m = {
      id: randomUUID(), conversationId: c.id, seq: c.messages.length + 1, clientMessageId, senderId: user.sub,
      senderRole: user.role, senderName: user.name, type: 'text', content: content ?? null,
      attachments: attachmentRefs.map(({ id }) => {
        const { conversationId: _c, createdAt: _t, ...meta } = uploads.get(id).meta;
        return meta;
      }),
      createdAt: new Date().toISOString(), editedAt: null, deletedAt: null,
    };
    for (const { id } of attachmentRefs) uploads.get(id).messageId = m.id;
    c.messages.push(m);
    c.reads.set(user.sub, m.seq);
    for (const k of recipients(c)) sendTo(k, { type: 'message.created', message: m });
    pushUnread(c, [...c.participants]);
    return { message: m, created: true };
  };
  const markRead = (c, user, seq) => {
    const last = c.messages.at(-1)?.seq ?? 0;
    const to = Math.min(seq, last);
    if (to <= (c.reads.get(user.sub) ?? 0)) return;
    c.reads.set(user.sub, to);
    for (const k of recipients(c)) sendTo(k, { type: 'read', conversationId: c.id, userId: user.sub, seq: to });
    pushUnread(c, [user.sub]);
  };

  const problem = (res, status, detail) => {
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, detail }));
  };
  const json = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  /** Reads a request body whole (a stand-in: fine for test files). */
  const bytesOf = (req) =>
    new Promise((resolve, reject) => {
      const chunks = [];
      req.on('data', (d) => chunks.push(d));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const upload = async (req, res, c, user) => {
    const type = String(req.headers['content-type'] ?? '');
    const length = Number(req.headers['content-length'] ?? NaN);
    if (length > maxFileSize + 64 * 1024) {
      req.resume();
      return problem(res, 413, `The file is larger than the limit of ${maxFileSize} bytes.`);
    }
    const raw = await bytesOf(req);
    if (!/^multipart\/form-data/i.test(type)) return problem(res, 400, 'The body must be multipart/form-data with a part named file.');
    let file;
    try {
      file = (await new Request('http://standin/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData()).get('file');
    } catch {
      return problem(res, 400, 'The body is not readable multipart/form-data.');
    }
    if (!file || typeof file === 'string') return problem(res, 400, 'The body has no part named file.');
    if (file.size === 0) return problem(res, 400, 'The file is empty.');
    if (file.size > maxFileSize) return problem(res, 413, `The file is larger than the limit of ${maxFileSize} bytes.`);
    const now = Date.now();
    const times = (uploadTimes.get(user.sub) ?? []).filter((t) => t > now - 60_000);
    if (times.length >= uploadsPerMinute) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((times[0] + 60_000 - now) / 1000))));
      return problem(res, 429, `At most ${uploadsPerMinute} uploads a minute.`);
    }
    times.push(now);
    uploadTimes.set(user.sub, times);
    const bytes = Buffer.from(await file.arrayBuffer());
    const sniffed = sniff(bytes);
    if (REFUSED.has(sniffed.contentType)) return problem(res, 415, `Files of type ${sniffed.contentType} are not accepted.`);
    const id = randomUUID();
    const image = sniffed.width > 0 && sniffed.height > 0;
    const meta = {
      id, conversationId: c.id, name: safeName(file.name), contentType: sniffed.contentType, size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(image ? { width: sniffed.width, height: sniffed.height } : {}),
      url: `/api/attachments/${id}`,
      ...(image ? { thumbnailUrl: `/api/attachments/${id}/thumbnail` } : {}),
      createdAt: new Date().toISOString(),
    };
    uploads.set(id, { meta, bytes, uploader: user.sub, messageId: null, deleted: false });
    res.setHeader('Location', meta.url);
    return json(res, 201, meta);
  };
  const download = (req, res, u, thumbnail) => {
    // the stand-in's thumbnail is the image itself (the real service makes one of at most 320 px)
    const { meta, bytes } = u;
    const ascii = meta.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    const headers = {
      'content-type': meta.contentType,
      etag: `"${meta.sha256}"`,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=31536000, immutable',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': `default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'${meta.contentType === 'application/pdf' ? '' : '; sandbox'}`,
      'content-disposition': `${INLINE.has(meta.contentType) || thumbnail ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(meta.name)}`,
    };
    if (req.headers['if-none-match'] === headers.etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && !thumbnail && (range[1] !== '' || range[2] !== '')) {
      let start = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
      let end = range[1] === '' || range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      if (start >= bytes.length || start > end) {
        res.writeHead(416, { ...headers, 'content-range': `bytes */${bytes.length}` });
        return res.end();
      }
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': end - start + 1 });
      return res.end(req.method === 'HEAD' ? undefined : bytes.subarray(start, end + 1));
    }
    res.writeHead(200, { ...headers, 'content-length': bytes.length });
    return res.end(req.method === 'HEAD' ? undefined : bytes);
  };

  const body = (req) =>
    new Promise((resolve) => {
      let s = '';
      req.on('data', (d) => (s += d));
      req.on('end', () => {
        try {
          resolve(s ? JSON.parse(s) : {});
        } catch {
          resolve(null);
        }
      });
    });

  const api = async (req, res, url, user) => {
    const p = url.pathname;
    const q = url.searchParams;
    const m = (re) => re.exec(p);
    let r;
    if (p === '/api/conversations' && req.method === 'GET') {
      const filter = q.get('filter');
      if (filter && user.role !== 'admin') return problem(res, 400, 'filter is for admins');
      const all = listFor(user, filter);
      const offset = Number(q.get('cursor') ?? 0);
      const limit = Math.min(100, Number(q.get('limit') ?? 20));
      const items = all.slice(offset, offset + limit).map((c) => view(c, user));
      return json(res, 200, { items, nextCursor: offset + limit < all.length ? String(offset + limit) : null });
    }
    if (p === '/api/conversations' && req.method === 'POST') {
      const b = await body(req);
      if (!b || !Array.isArray(b.participants)) return problem(res, 400, 'participants');
      const participants = [...new Set([user.sub, ...b.participants])];
      if (b.type === 'direct') {
        if (participants.length !== 2) return problem(res, 400, 'a direct conversation has one other participant');
        const found = [...conversations.values()].find((c) => c.type === 'direct' && participants.every((u) => c.participants.includes(u)));
        if (found) return json(res, 200, view(found, user));
      }
      const c = { id: randomUUID(), type: b.type === 'direct' ? 'direct' : 'group', title: b.title ?? null, participants, createdAt: new Date().toISOString(), creator: user.sub, messages: [], reads: new Map() };
      conversations.set(c.id, c);
      return json(res, 201, view(c, user));
    }
    if (p === '/api/conversations/support') {
      if (user.role === 'admin') return problem(res, 403, 'admins have no support conversation');
      return json(res, 200, view(support(user), user));
    }
    if (p === '/api/unread') return json(res, 200, unreadOf(user));
    if ((r = m(/^\/api\/attachments\/([^/]+)(\/thumbnail|\/meta)?$/))) {
      const u = uploads.get(r[1]);
      const c = u && conversations.get(u.meta.conversationId);
      if (!u || u.deleted || !c || !canSee(c, user)) return problem(res, 404, 'No such file.');
      if (req.method === 'DELETE' && !r[2]) {
        if (u.uploader !== user.sub) return problem(res, 404, 'No such file.');
        if (u.messageId) return problem(res, 409, 'The file is attached to a message: delete the message instead.');
        uploads.delete(r[1]);
        return json(res, 204);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'GET, HEAD or DELETE.');
      if (r[2] === '/meta') return json(res, 200, u.meta);
      if (r[2] === '/thumbnail' && !u.meta.thumbnailUrl) return problem(res, 404, 'This file has no thumbnail.');
      return download(req, res, u, r[2] === '/thumbnail');
    }
    if ((r = m(/^\/api\/conversations\/([^/]+)(\/.*)?$/))) {
      const c = conversations.get(r[1]);
      if (!c || !canSee(c, user)) return problem(res, 404, 'no such conversation');
      const rest = r[2] ?? '';
      if (rest === '' && req.method === 'GET') return json(res, 200, view(c, user));
      if (rest === '/attachments' && req.method === 'POST') return upload(req, res, c, user);
      if (rest === '/messages' && req.method === 'GET') {
        const limit = Math.min(200, Number(q.get('limit') ?? 50));
        if (q.has('afterSeq')) {
          const after = c.messages.filter((x) => x.seq > Number(q.get('afterSeq')));
          return json(res, 200, { items: after.slice(0, limit), hasMore: after.length > limit });
        }
        const before = q.has('beforeSeq') ? c.messages.filter((x) => x.seq < Number(q.get('beforeSeq'))) : c.messages;
        return json(res, 200, { items: before.slice(-limit), hasMore: before.length > limit });
      }
      if (rest === '/messages' && req.method === 'POST') {
        const b = await body(req);
        const files = Array.isArray(b?.attachments) && b.attachments.length > 0;
        if (!b || (typeof b.content !== 'string' && !(files && b.content === undefined)) || typeof b.clientMessageId !== 'string') return problem(res, 400, 'content');
        const again = c.messages.find((x) => x.clientMessageId === b.clientMessageId && x.senderId === user.sub);
        const bad = again ? null : checkAttachments(c, user, b.attachments);
        if (bad) return problem(res, bad.status, bad.detail);
        const { message, created } = store(c, user, b.clientMessageId, b.content, b.attachments ?? []);
        return json(res, created ? 201 : 200, message);
      }
      if (rest === '/read' && req.method === 'POST') {
        const b = await body(req);
        markRead(c, user, Number(b?.seq ?? 0));
        return json(res, 204);
      }
      let mm;
      if ((mm = /^\/messages\/([^/]+)$/.exec(rest))) {
        const msg = c.messages.find((x) => x.id === mm[1]);
        if (!msg) return problem(res, 404, 'no such message');
        if (req.method === 'PATCH') {
          if (msg.senderId !== user.sub) return problem(res, 403, 'not yours');
          if (msg.deletedAt) return problem(res, 409, 'deleted');
          const b = await body(req);
          msg.content = String(b?.content ?? '');
          msg.editedAt = new Date().toISOString();
          for (const k of recipients(c)) sendTo(k, { type: 'message.updated', message: msg });
          return json(res, 200, msg);
        }
        if (req.method === 'DELETE') {
          if (msg.senderId !== user.sub && user.role !== 'admin') return problem(res, 403, 'not yours');
          if (!msg.deletedAt) {
            msg.content = null;
            for (const a of msg.attachments) {
              const u = uploads.get(a.id);
              if (u) u.deleted = true;
            }
            msg.attachments = [];
            msg.deletedAt = new Date().toISOString();
            for (const k of recipients(c)) sendTo(k, { type: 'message.deleted', message: msg });
          }
          return json(res, 204);
        }
      }
      if (rest === '/participants' && req.method === 'POST') {
        if (c.type !== 'group') return problem(res, 400, 'groups only');
        if (c.creator !== user.sub && user.role !== 'admin') return problem(res, 403, 'the creator or an admin');
        const b = await body(req);
        if (!c.participants.includes(b.userId)) {
          c.participants.push(b.userId);
          c.reads.set(b.userId, c.messages.at(-1)?.seq ?? 0);
        }
        return json(res, 200, view(c, user));
      }
      if ((mm = /^\/participants\/([^/]+)$/.exec(rest)) && req.method === 'DELETE') {
        const who = decodeURIComponent(mm[1]);
        if (c.type !== 'group') return problem(res, 400, 'groups only');
        if (who !== user.sub && c.creator !== user.sub && user.role !== 'admin') return problem(res, 403, 'the creator or an admin');
        if (!c.participants.includes(who)) return problem(res, 404, 'not a participant');
        const before = recipients(c);
        c.participants = c.participants.filter((u) => u !== who);
        const frame = { type: 'participant.removed', conversationId: c.id, userId: who, participants: [...c.participants] };
        for (const k of before) sendTo(k, frame);
        return json(res, 204);
      }
    }
    if (p === '/api/push/vapid-public-key') return problem(res, 503, 'Web Push is not configured');
    return problem(res, 404, 'unknown');
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const user = claims(token);
      if (!user) return problem(res, 401, 'no valid token');
      roles.set(user.sub, user.role);
      try {
        return await api(req, res, url, user);
      } catch (e) {
        return problem(res, 500, String(e));
      }
    }
    if (url.pathname === '/config.json') return oidc ? json(res, 200, { oidc }) : problem(res, 404, 'no OIDC issuer configured');
    let file = normalize(join(dist, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
      if (url.pathname !== '/') return problem(res, 404, 'not found');
      file = join(dist, 'index.html');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(readFileSync(file));
  });

  const wss = new WebSocketServer({ noServer: true, handleProtocols: (ps) => (ps.has('bearer-token-carrier') ? 'bearer-token-carrier' : false) });
  server.on('upgrade', (req, socket, head) => {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => decodeURIComponent(s.trim()));
    const carried = protocols.find((x) => x.startsWith('quarkus-http-upgrade#'));
    const token = carried?.split('#')[2]?.replace(/^Bearer /, '') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('access_token') ?? '';
    const user = claims(token);
    if (!user) return socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const k = { ws, user };
      const first = ![...conns].some((x) => x.user.sub === user.sub);
      conns.add(k);
      if (user.role !== 'admin') support(user);
      sendTo(k, { type: 'welcome', userId: user.sub, connectionId: randomUUID() });
      if (first) for (const o of conns) if (o !== k) sendTo(o, { type: 'presence', userId: user.sub, online: true, lastSeenAt: null });
      for (const o of conns) if (o.user.sub !== user.sub) sendTo(k, { type: 'presence', userId: o.user.sub, online: true, lastSeenAt: null });
      ws.on('close', () => {
        conns.delete(k);
        if (![...conns].some((x) => x.user.sub === user.sub)) {
          for (const o of conns) sendTo(o, { type: 'presence', userId: user.sub, online: false, lastSeenAt: new Date().toISOString() });
        }
      });
      ws.on('message', (data) => {
        let f;
        try {
          f = JSON.parse(String(data));
        } catch {
          return sendTo(k, { type: 'error', code: 'invalid', message: 'not JSON' });
        }
        const c = f.conversationId ? conversations.get(f.conversationId) : undefined;
        const visible = c && canSee(c, user);
        switch (f.type) {
          case 'ping':
            return sendTo(k, { type: 'pong' });
          case 'send':
            if (!visible) return sendTo(k, { type: 'error', ref: f.ref, code: 'not_found', message: 'no such conversation' });
            if (!c.messages.some((x) => x.clientMessageId === f.clientMessageId && x.senderId === user.sub)) {
              if (typeof f.content !== 'string' && !(Array.isArray(f.attachments) && f.attachments.length > 0)) {
                return sendTo(k, { type: 'error', ref: f.ref, code: 'invalid', field: 'content', message: 'content is required without attachments' });
              }
              const bad = checkAttachments(c, user, f.attachments);
              if (bad) return sendTo(k, { type: 'error', ref: f.ref, code: bad.code, field: bad.field, message: bad.detail });
            }
            return sendTo(k, { type: 'ack', ref: f.ref, message: store(c, user, f.clientMessageId, f.content, f.attachments ?? []).message });
          case 'typing':
            if (!visible) return sendTo(k, { type: 'error', ref: f.ref, code: 'not_found', message: 'no such conversation' });
            for (const o of recipients(c)) if (o.user.sub !== user.sub) sendTo(o, { type: 'typing', conversationId: c.id, userId: user.sub, state: f.state });
            return;
          case 'read':
            if (!visible) return sendTo(k, { type: 'error', ref: f.ref, code: 'not_found', message: 'no such conversation' });
            return markRead(c, user, Number(f.seq));
          case 'resume':
            for (const [id, seq] of Object.entries(f.positions ?? {})) {
              const rc = conversations.get(id);
              if (!rc || !canSee(rc, user)) {
                sendTo(k, { type: 'error', ref: f.ref, code: 'not_found', message: 'no such conversation', conversationId: id });
                continue;
              }
              for (const m of rc.messages) if (m.seq > seq) sendTo(k, { type: 'message.created', message: m });
            }
            return sendTo(k, { type: 'resumed', ref: f.ref });
          case 'auth':
            return sendTo(k, { type: 'authenticated', ref: f.ref, expiresAt: new Date(Date.now() + 3600_000).toISOString() });
          default:
            return sendTo(k, { type: 'error', ref: f.ref, code: 'invalid', message: 'unknown type' });
        }
      });
    });
  });

  await new Promise((r) => server.listen(port, host, r));
  const url = `http://${host}:${server.address().port}`;
  const tokens = {
    client: mintToken('client-ada', 'client', 'Ada Client'),
    client2: mintToken('client-bo', 'client', 'Bo Client'),
    expert: mintToken('expert-eve', 'expert', 'Eve Expert'),
    admin: mintToken('admin-sam', 'admin', 'Sam Admin'),
  };
  return {
    url,
    tokens,
    stop: () =>
      new Promise((r) => {
        for (const k of conns) k.ws.terminate();
        server.close(r);
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await startStandIn({ port: Number(process.argv[2] ?? 8080) });
  console.log(`Parley stand-in at ${s.url} (unsigned tokens: for local tests only)`);
  for (const [who, t] of Object.entries(s.tokens)) console.log(`  ${who}: ${s.url}/#access_token=${t}`);
}
