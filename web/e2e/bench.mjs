// Browser benchmark of the Parley app (issue 13's targets), in headless Chromium (the system's /usr/bin/chromium)
// driven by playwright-core, against a running stack:
//
//   PARLEY_TEST_GATEWAY=http://127.0.0.1:8080 PARLEY_TEST_KEY=<dev key.pem> npm run bench
//   PARLEY_TEST_GATEWAY=http://127.0.0.1:8080 PARLEY_TEST_TOKENS='{"client":"<JWT>","admin":"<JWT>"}' npm run bench
//
// With PARLEY_TEST_KEY (the stack's RS256 signing key) it makes a fresh client and admin of its own (issuer
// parley-local, or PARLEY_TEST_ISSUER), so the client's support conversation starts empty; otherwise it uses the
// client and admin of PARLEY_TEST_TOKENS.
//
// 1. resume: a client page open on its support conversation; its network is cut (context.setOffline(true)) until
//    the status shows `offline`, then 1 s more, and restored. Measured from the restore (just before
//    setOffline(false)) to the `resumed` frame (page.on('websocket'), Node's clock), and to the status showing `open`
//    again (that plus the page's own resumed-to-open time). The page also records, on its own clock, the `online`
//    event, the new socket, its `welcome` and `resumed` frames and the status changes, for the breakdown.
// 2. render: a client and an admin page (two contexts of one browser) on the client's support conversation; the
//    client types a message and clicks Send, one every 300 ms (open loop); measured from the click (a capture
//    listener in the client page) to the text appearing in the admin's "Messages" log (a MutationObserver in the
//    admin page), both as performance.timeOrigin + performance.now(), one machine's wall clock. 5 messages of
//    warm-up are not counted.
//
// Env: BENCH_CUTS (50), BENCH_MESSAGES (100), BENCH_INTERVAL_MS (300), BENCH_OFFLINE_MS (1000: time offline after
// the status shows it), BENCH_ONLY (resume | render), BENCH_OUT (a file for the JSON), PARLEY_CHROMIUM.
// Percentiles are exact over the samples (sorted; the value at rank ceil(p * n)), as HdrHistogram reports them.
import { chromium } from 'playwright-core';
import { createSign, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const executablePath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 15_000;
const CUTS = Number(process.env.BENCH_CUTS ?? 50);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);
const INTERVAL = Number(process.env.BENCH_INTERVAL_MS ?? 300);
const OFFLINE_MS = Number(process.env.BENCH_OFFLINE_MS ?? 1_000);
const WARMUP = 5;
const only = process.env.BENCH_ONLY;

let gateway = process.env.PARLEY_TEST_GATEWAY;
let tokens;
if (process.env.PARLEY_TEST_KEY) {
  const key = readFileSync(process.env.PARLEY_TEST_KEY, 'utf8');
  const iss = process.env.PARLEY_TEST_ISSUER ?? 'parley-local';
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const mint = (role) => {
    const sub = `bench-${role}-${randomUUID().slice(0, 8)}`;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss, sub, upn: sub, jti: randomUUID(), iat: now, exp: now + 7200, groups: [role], name: `Bench ${role} ${sub.slice(-4)}` };
    const body = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
    const signer = createSign('RSA-SHA256');
    signer.update(body);
    return `${body}.${signer.sign(key).toString('base64url')}`;
  };
  tokens = { client: mint('client'), admin: mint('admin') };
} else if (process.env.PARLEY_TEST_TOKENS) {
  tokens = JSON.parse(process.env.PARLEY_TEST_TOKENS);
  if (Array.isArray(tokens)) tokens = { client: tokens[0], admin: tokens[1] };
}
if (!gateway || !tokens?.client || !tokens?.admin) {
  console.error('Set PARLEY_TEST_GATEWAY, and PARLEY_TEST_KEY (a key.pem to sign tokens with) or PARLEY_TEST_TOKENS (JSON {client, admin}).');
  process.exit(2);
}
gateway = gateway.replace(/\/+$/, '');

// --- helpers ----------------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rest(token, method, path, body) {
  const res = await fetch(gateway + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Exact percentile: the smallest sample with at least p of the samples at or below it. */
function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 10) / 10;
  return {
    n: s.length,
    min: r(s[0]),
    p50: r(percentile(s, 0.5)),
    p90: r(percentile(s, 0.9)),
    p99: r(percentile(s, 0.99)),
    max: r(s[s.length - 1]),
  };
}
const median = (xs) => summary(xs).p50;

// Runs in every page before the app: the page's own record of the network events, sockets, frames and status.
function pageProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const b = (window.__bench = { online: [], offline: [], sockets: [], welcome: [], resumed: [], states: [], clicks: [] });
  addEventListener('online', () => b.online.push(now()), true);
  addEventListener('offline', () => b.offline.push(now()), true);
  addEventListener('click', () => b.clicks.push(now()), true);
  const Native = window.WebSocket;
  // the render benchmark's messages ("bench <tag>-<i>"): when the sender's socket writes them, when a socket receives them
  b.sent = {};
  b.received = {};
  const key = (data) => (typeof data === 'string' ? /bench (r[a-z0-9]+-\d+)/.exec(data)?.[1] : undefined);
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      b.sockets.push(now());
      this.addEventListener('message', (e) => {
        const k = key(e.data);
        if (k && !(k in b.received) && e.data.includes('"message.created"')) b.received[k] = now();
        if (typeof e.data !== 'string' || !(e.data.includes('"welcome"') || e.data.includes('"resumed"'))) return;
        const t = now();
        try {
          const type = JSON.parse(e.data).type;
          if (type === 'welcome') b.welcome.push(t);
          else if (type === 'resumed') b.resumed.push(t);
        } catch {
          // not JSON
        }
      });
    }
    send(data) {
      const k = key(data);
      if (k && !(k in b.sent)) b.sent[k] = now();
      super.send(data);
    }
  };
  let last;
  const watch = () => {
    const s = document.querySelector('[role="status"]')?.textContent?.trim();
    if (s && s !== last) {
      last = s;
      b.states.push([now(), s]);
    }
  };
  const start = () => new MutationObserver(watch).observe(document.body, { subtree: true, childList: true, characterData: true });
  if (document.body) start();
  else addEventListener('DOMContentLoaded', start);
}

async function openApp(context, token, conversationId) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.log(`#   page error: ${e.message}`));
  await page.goto(`${gateway}/?c=${encodeURIComponent(conversationId)}#access_token=${token}`);
  await page.getByRole('log', { name: 'Messages' }).waitFor();
  await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.trim() === 'open');
  return page;
}

// --- 1. network back to `resumed` -------------------------------------------------------------------------------

async function benchResume(browser, supportId) {
  const context = await browser.newContext();
  await context.addInitScript(pageProbe);
  const nodeResumed = [];
  try {
    const page = await openApp(context, tokens.client, supportId);
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"resumed"')) {
          const t = Date.now();
          try {
            if (JSON.parse(payload).type === 'resumed') nodeResumed.push(t);
          } catch {
            // not JSON
          }
        }
      }),
    );
    await sleep(1_000);
    const toResumed = [];
    const toOpen = [];
    const parts = { restoreToOnline: [], onlineToSocket: [], socketToWelcome: [], welcomeToResumed: [], resumedToOpen: [] };
    let failed = 0;
    for (let i = 0; i < CUTS; i++) {
      await context.setOffline(true);
      await page.waitForFunction(() => document.querySelector('[role="status"]')?.textContent?.trim() === 'offline');
      await sleep(OFFLINE_MS);
      const before = await page.evaluate(() => ({
        online: __bench.online.length,
        sockets: __bench.sockets.length,
        welcome: __bench.welcome.length,
        resumed: __bench.resumed.length,
        states: __bench.states.length,
      }));
      const nodeBefore = nodeResumed.length;
      const restore = Date.now();
      await context.setOffline(false);
      try {
        await page.waitForFunction(
          (n) => __bench.states.slice(n).some(([, s]) => s === 'open'),
          before.states,
          { polling: 20, timeout: TIMEOUT },
        );
        const end = Date.now() + 2_000;
        while (nodeResumed.length === nodeBefore && Date.now() < end) await sleep(5);
        if (nodeResumed.length === nodeBefore) throw new Error('no resumed frame seen by page.on(websocket)');
      } catch (e) {
        failed++;
        console.log(`#   cut ${i + 1}: ${e.message.split('\n')[0]}`);
        continue;
      }
      const p = await page.evaluate((n) => {
        const b = __bench;
        return {
          online: b.online[n.online],
          socket: b.sockets[n.sockets],
          welcome: b.welcome[n.welcome],
          resumed: b.resumed[n.resumed],
          open: b.states.slice(n.states).find(([t, s]) => s === 'open' && t >= (b.resumed[n.resumed] ?? 0))?.[0],
        };
      }, before);
      const resumedAt = nodeResumed[nodeBefore];
      const r = resumedAt - restore;
      toResumed.push(r);
      toOpen.push(r + (p.open - p.resumed));
      parts.restoreToOnline.push(r - (p.resumed - p.online));
      parts.onlineToSocket.push(p.socket - p.online);
      parts.socketToWelcome.push(p.welcome - p.socket);
      parts.welcomeToResumed.push(p.resumed - p.welcome);
      parts.resumedToOpen.push(p.open - p.resumed);
      if (process.env.BENCH_VERBOSE) console.log(`#   cut ${i + 1}: resumed ${r} ms, open ${toOpen.at(-1).toFixed(1)} ms`);
      await sleep(500);
    }
    return {
      cuts: CUTS,
      failed,
      offlineMs: OFFLINE_MS,
      restoreToResumedFrame: summary(toResumed),
      restoreToStatusOpen: summary(toOpen),
      breakdownMedians: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, median(v)])),
      samples: toResumed,
    };
  } finally {
    await context.close();
  }
}

// --- 2. send in one browser to render in the other --------------------------------------------------------------

async function benchRender(browser, supportId) {
  const cc = await browser.newContext();
  const ac = await browser.newContext();
  await cc.addInitScript(pageProbe);
  await ac.addInitScript(pageProbe);
  try {
    const admin = await openApp(ac, tokens.admin, supportId);
    const client = await openApp(cc, tokens.client, supportId);
    const tag = `r${Math.random().toString(36).slice(2, 7)}`;
    await admin.getByRole('log', { name: 'Messages' }).evaluate((log, tag) => {
      const seen = (window.__seen = {});
      const re = new RegExp(`${tag}-(\\d+)\\b`, 'g');
      const scan = (text) => {
        if (!text || !text.includes(tag)) return;
        const t = performance.timeOrigin + performance.now();
        for (const m of text.matchAll(re)) if (!(m[1] in seen)) seen[m[1]] = t;
      };
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'characterData') scan(r.target.textContent);
          else for (const n of r.addedNodes) scan(n.textContent);
        }
      }).observe(log, { subtree: true, childList: true, characterData: true });
    }, tag);
    const box = client.getByRole('textbox', { name: 'Message', exact: true });
    const button = client.getByRole('button', { name: 'Send', exact: true });
    const total = WARMUP + MESSAGES;
    const clicks = [];
    const start = Date.now() + 200;
    let lateStarts = 0;
    for (let i = 0; i < total; i++) {
      const due = start + i * INTERVAL;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -INTERVAL / 2) lateStarts++;
      await box.fill(`bench ${tag}-${i} ${'·'.repeat(i % 7)}`);
      const n = await client.evaluate(() => __bench.clicks.length);
      await button.click();
      clicks[i] = await client.evaluate((n) => __bench.clicks[n], n);
    }
    const end = Date.now() + 5_000;
    let seen;
    do {
      await sleep(100);
      seen = await admin.evaluate(() => window.__seen);
    } while (Object.keys(seen).length < total && Date.now() < end);
    const sent = await client.evaluate(() => __bench.sent);
    const received = await admin.evaluate(() => __bench.received);
    const samples = [];
    const parts = { clickToSocketWrite: [], socketWriteToAdminFrame: [], adminFrameToLog: [] };
    let missing = 0;
    for (let i = WARMUP; i < total; i++) {
      if (seen[i] === undefined || clicks[i] === undefined) {
        missing++;
        continue;
      }
      samples.push(seen[i] - clicks[i]);
      const k = `${tag}-${i}`;
      if (sent[k] !== undefined && received[k] !== undefined) {
        parts.clickToSocketWrite.push(sent[k] - clicks[i]);
        parts.socketWriteToAdminFrame.push(received[k] - sent[k]);
        parts.adminFrameToLog.push(seen[i] - received[k]);
      }
    }
    return {
      messages: MESSAGES,
      warmup: WARMUP,
      intervalMs: INTERVAL,
      missing,
      lateStarts,
      clickToAdminLog: summary(samples),
      breakdown: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, summary(v)])),
      samples: samples.map((x) => Math.round(x * 10) / 10),
    };
  } finally {
    await cc.close();
    await ac.close();
  }
}

// --- run --------------------------------------------------------------------------------------------------------

const load = () => readFileSync('/proc/loadavg', 'utf8').trim();
const result = {
  date: new Date().toISOString(),
  gateway,
  machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), chromium: undefined },
  loadavgBefore: load(),
};
const supportId = (await rest(tokens.client, 'GET', '/api/conversations/support')).id;
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
result.machine.chromium = browser.version();
try {
  if (!only || only === 'resume') {
    console.log(`# resume: ${CUTS} cuts`);
    result.resume = await benchResume(browser, supportId);
  }
  if (!only || only === 'render') {
    console.log(`# render: ${MESSAGES} messages, one every ${INTERVAL} ms`);
    result.render = await benchRender(browser, supportId);
  }
} finally {
  await browser.close();
}
result.loadavgAfter = load();

const rows = [];
if (result.resume) {
  rows.push(['network back to `resumed` (restore to the frame)', result.resume.restoreToResumedFrame, 'p99 ≤ 2000, p50 ≤ 300']);
  rows.push(['network back to status `open`', result.resume.restoreToStatusOpen, '']);
}
if (result.render) rows.push(['click Send to the admin\'s log', result.render.clickToAdminLog, 'p99 ≤ 100']);
console.log('');
console.log(`${'measure (ms)'.padEnd(50)} ${['n', 'p50', 'p90', 'p99', 'max'].map((h) => h.padStart(7)).join(' ')}  target`);
for (const [name, s, target] of rows) {
  console.log(`${name.padEnd(50)} ${[s.n, s.p50, s.p90, s.p99, s.max].map((v) => String(v).padStart(7)).join(' ')}  ${target}`);
}
if (result.resume) {
  console.log(`breakdown of a resume (medians, ms): ${JSON.stringify(result.resume.breakdownMedians)}; failed cuts: ${result.resume.failed}`);
}
if (result.render) {
  for (const [k, v] of Object.entries(result.render.breakdown)) console.log(`render, ${k}: p50 ${v.p50}, p99 ${v.p99}, max ${v.max} ms (n ${v.n})`);
  console.log(`render: missing ${result.render.missing}, late starts ${result.render.lateStarts}`);
}
console.log(`load average before: ${result.loadavgBefore}; after: ${result.loadavgAfter}`);
const json = JSON.stringify(result);
console.log(json);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(result, null, 2));
