// Browser end-to-end tests of the Parley app, in headless Chromium (the system's /usr/bin/chromium) driven by
// playwright-core. Against a running stack:
//
//   PARLEY_TEST_GATEWAY=http://127.0.0.1:8080 PARLEY_TEST_TOKENS='{"client":"<JWT>","admin":"<JWT>","client2":"<JWT>"}' npm run e2e
//
// or against the in-memory stand-in of e2e/standin.mjs (after `npm run build`): `npm run e2e -- --standin`.
// Env: PARLEY_CHROMIUM (default /usr/bin/chromium), PARLEY_SCREENSHOTS (default docs/screenshots of the repo),
// PARLEY_E2E_ONLY (a word of the scenario names to run only those), PARLEY_TEST_MAX_FILE_SIZE (the gateway's
// parley.files.max-size in bytes, default 26214400: the over-the-limit upload is one byte more), PARLEY_TEST_OIDC
// (JSON {client: {username, password}, admin: {username, password}}: users of the OpenID Connect issuer the gateway
// names in /config.json, who sign in on its login form; without it the sign-in scenario is skipped; KeycloakIT).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const screenshots = process.env.PARLEY_SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots');
const executablePath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 15_000;
const MAX_FILE_SIZE = Number(process.env.PARLEY_TEST_MAX_FILE_SIZE ?? 25 * 1024 * 1024);

let gateway = process.env.PARLEY_TEST_GATEWAY;
let tokens = process.env.PARLEY_TEST_TOKENS ? JSON.parse(process.env.PARLEY_TEST_TOKENS) : undefined;
let standIn;
if (process.argv.includes('--standin')) {
  const { startStandIn } = await import('./standin.mjs');
  standIn = await startStandIn({ maxFileSize: MAX_FILE_SIZE });
  gateway = standIn.url;
  tokens = standIn.tokens;
  console.log(`# against the stand-in at ${gateway}`);
}
if (!gateway || !tokens) {
  console.error('Set PARLEY_TEST_GATEWAY and PARLEY_TEST_TOKENS (JSON {client, admin, client2, ...}), or pass --standin.');
  process.exit(2);
}
if (Array.isArray(tokens)) tokens = { client: tokens[0], admin: tokens[1], client2: tokens[2] };
gateway = gateway.replace(/\/+$/, '');

// --- helpers ----------------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const unique = (s) => `${s} ${Math.random().toString(36).slice(2, 8)}`;
function sub(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
}

async function rest(token, method, path, body) {
  const res = await fetch(gateway + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function allMessages(token, conversationId) {
  const page = await rest(token, 'GET', `/api/conversations/${conversationId}/messages?limit=200`);
  return page.items;
}

async function waitUntil(what, fn, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** Opens the app in a new page of the context, signed in with the token (the address fragment). */
async function openApp(context, token, conversationId) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.log(`#   page error: ${e.message}`));
  const query = conversationId ? `?c=${encodeURIComponent(conversationId)}` : '';
  await page.goto(`${gateway}/${query}#access_token=${token}`);
  await page.getByRole('list', { name: 'Conversations' }).or(page.getByRole('log', { name: 'Messages' })).first().waitFor();
  await waitUntil('the connection to open', async () => (await status(page)) === 'open');
  return page;
}

const status = (page) => page.getByRole('status').first().textContent();
const log = (page) => page.getByRole('log', { name: 'Messages' });
/** The texts of the messages shown in the open conversation, in order. */
const shown = (page) => log(page).locator('.msg .content').allTextContents();

async function send(page, text) {
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Enter');
}

async function openConversationFromList(page, index = 0) {
  await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').nth(index).getByRole('button').click();
  await log(page).waitFor();
}

async function shot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

// --- files ------------------------------------------------------------------------------------------------------

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/** A small opaque RGB PNG (a gradient with a square), made here so that no fixture file is needed. */
function makePng(width = 96, height = 64) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const inSquare = x > width / 3 && x < (2 * width) / 3 && y > height / 4 && y < (3 * height) / 4;
      row[1 + x * 3] = inSquare ? 250 : Math.round((x / width) * 255);
      row[2 + x * 3] = inSquare ? 200 : Math.round((y / height) * 255);
      row[3 + x * 3] = inSquare ? 40 : 160;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A one-page PDF that says `text`, with a correct cross-reference table. */
function makePdf(text) {
  const stream = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Picks files through the Attach button's file chooser, as a user does. */
async function attach(page, files) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Attach', exact: true }).click(),
  ]);
  assert(chooser.isMultiple(), 'the file picker does not take several files');
  await chooser.setFiles(files);
}

const uploadsList = (page) => page.getByRole('list', { name: 'Files to send' });

// --- scenarios --------------------------------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

let supportId;
const clientSupport = async () => (supportId ??= (await rest(tokens.client, 'GET', '/api/conversations/support')).id);

scenario('a client and an admin chat in the support conversation', async (browser) => {
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const ac = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const client = await openApp(cc, tokens.client);
    const list = client.getByRole('list', { name: 'Conversations' });
    await waitUntil('the support conversation first', async () =>
      (await list.getByRole('listitem').first().textContent())?.includes('Support'),
    );
    await openConversationFromList(client, 0);
    const hello = unique('Hello from the client');
    await send(client, hello);
    await waitUntil('the client to see its message sent', async () => (await shown(client)).includes(hello));

    // the list is a read model that follows a message by a few milliseconds: wait until it shows it
    const id = await clientSupport();
    await waitUntil('the read model to list the conversation as unanswered', async () =>
      (await rest(tokens.admin, 'GET', '/api/conversations?filter=unanswered&limit=100')).items.some((c) => c.id === id),
    );
    const admin = await openApp(ac, tokens.admin);
    // the desk: the client's conversation waits for an answer
    await admin.getByRole('tab', { name: 'Unanswered' }).click();
    const desk = admin.getByRole('list', { name: 'Unanswered support conversations' });
    await waitUntil('the conversation in the unanswered filter', async () =>
      (await desk.textContent())?.includes(hello.slice(0, 20)),
    );
    await shot(admin, 'admin-support-desk');
    await desk.locator(`[data-conversation-id="${id}"] button`).first().click();
    await waitUntil('the admin to see the client message', async () => (await shown(admin)).includes(hello));
    // the typing indicator
    await admin.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('Hel');
    // the admin is not a participant the client knows by name yet: the support team is typing, not an id
    await waitUntil('the client to see the support team typing', async () =>
      (await client.locator('.typing').textContent())?.includes('Support is typing'),
    );
    const reply = unique('Hello from support');
    await send(admin, reply);
    await waitUntil('the client to see the reply', async () => (await shown(client)).includes(reply));
    await waitUntil('the typing indicator to go', async () => !(await client.locator('.typing').textContent()));
    // "seen": the client has the conversation open, so the admin's reply is read and marked seen for the admin
    await admin.locator('.msg', { hasText: reply }).getByText('Seen').waitFor();
    await waitUntil('the reply to leave the unanswered filter', async () =>
      !(await desk.locator(`[data-conversation-id="${id}"]`).count()),
    );
    await shot(client, 'client-conversation');
    await shot(admin, 'admin-conversation');

    // a text over 8,000 characters (code points: emoji count one) is not cut: the app says so and does not send it
    const box = client.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('😀'.repeat(8001));
    await client.getByRole('alert').filter({ hasText: 'Too long: 1 character over the 8,000' }).waitFor();
    assert(await client.getByRole('button', { name: 'Send', exact: true }).isDisabled(), 'Send is enabled for a text too long');
    await box.press('Backspace');
    await waitUntil('Send enabled at 8,000 emoji', async () =>
      client.getByRole('button', { name: 'Send', exact: true }).isEnabled(),
    );
    await box.fill('');
  } finally {
    await cc.close();
    await ac.close();
  }
});

scenario('a sign-in link opened in a tab that shows the app signs its user in', async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const page = await openApp(context, tokens.client);
    const role = () => page.locator('header .role').first().textContent();
    await waitUntil('the client signed in', async () => (await role()) === 'client');
    // the same address with another fragment: no page load by itself
    await page.goto(`${gateway}/#access_token=${tokens.admin}`);
    await waitUntil('the admin signed in in the same tab', async () => (await role()) === 'admin');
    await page.getByRole('tab', { name: 'Unanswered' }).waitFor();
    assert(!page.url().includes('access_token'), 'the token is left in the address');
  } finally {
    await context.close();
  }
});

scenario('three messages sent while the recipient is offline show once each, in order', async (browser) => {
  const cc = await browser.newContext();
  const ac = await browser.newContext();
  try {
    const id = await clientSupport();
    const admin = await openApp(ac, tokens.admin, id);
    const client = await openApp(cc, tokens.client, id);
    await log(admin).waitFor();
    await ac.setOffline(true);
    await waitUntil('the admin page to notice', async () => (await status(admin)) !== 'open');
    const texts = [unique('cut 1'), unique('cut 2'), unique('cut 3')];
    for (const t of texts) {
      await send(client, t);
      await waitUntil(`"${t}" stored`, async () =>
        (await client.locator(`.msg.sent .content`).allTextContents()).includes(t),
      );
    }
    await sleep(500);
    await ac.setOffline(false);
    await waitUntil('the admin page to resume', async () => (await status(admin)) === 'open');
    await waitUntil('the three messages on the admin page', async () => {
      const s = await shown(admin);
      return texts.every((t) => s.includes(t));
    });
    await sleep(1_000); // anything sent twice would show by now
    const s = await shown(admin);
    for (const t of texts) assert(s.filter((x) => x === t).length === 1, `"${t}" shows ${s.filter((x) => x === t).length} times`);
    const at = texts.map((t) => s.indexOf(t));
    assert(at[0] < at[1] && at[1] < at[2], `out of order: ${at}`);
  } finally {
    await cc.close();
    await ac.close();
  }
});

scenario('a message written offline and reloaded before it was sent is sent once after the reload', async (browser) => {
  const cc = await browser.newContext();
  try {
    const id = await clientSupport();
    // the socket is cut (page loads still work, so the page can be reloaded): a route keeps every /ws unconnected
    let cut = true;
    const held = [];
    await cc.routeWebSocket(/\/ws/, (ws) => {
      if (cut) held.push(ws);
      else ws.connectToServer();
    });
    const page = await cc.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${gateway}/?c=${id}#access_token=${tokens.client}`);
    await log(page).waitFor();
    const text = unique('written offline');
    await send(page, text);
    await page.locator('.msg[data-status="pending"]', { hasText: text }).waitFor();
    await sleep(500); // the outbox is written to IndexedDB
    await page.reload();
    await page.locator('.msg[data-status="pending"]', { hasText: text }).waitFor();
    assert((await allMessages(tokens.client, id)).every((m) => m.content !== text), 'sent while cut');
    cut = false;
    for (const ws of held.splice(0)) await ws.close().catch(() => {});
    await page.locator('.msg[data-status="sent"]', { hasText: text }).waitFor();
    await sleep(1_500);
    const stored = (await allMessages(tokens.client, id)).filter((m) => m.content === text);
    assert(stored.length === 1, `stored ${stored.length} times`);
    const s = await shown(page);
    assert(s.filter((x) => x === text).length === 1, `shows ${s.filter((x) => x === text).length} times`);
  } finally {
    await cc.close();
  }
});

scenario('reading on one tab clears the badge on the other', async (browser) => {
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const id = await clientSupport();
    const a = await openApp(cc, tokens.client);
    const b = await openApp(cc, tokens.client);
    await rest(tokens.admin, 'POST', `/api/conversations/${id}/messages`, {
      clientMessageId: crypto.randomUUID(),
      content: unique('Are you there?'),
    });
    const badge = (p) => p.locator(`[data-conversation-id="${id}"] .unread-count`);
    await badge(a).waitFor();
    await badge(b).waitFor();
    await b.locator(`[data-conversation-id="${id}"] button`).first().click();
    await badge(b).waitFor({ state: 'detached' });
    await badge(a).waitFor({ state: 'detached' });
  } finally {
    await cc.close();
  }
});

scenario("a removed participant's app stops showing the conversation's new messages", async (browser) => {
  if (!tokens.client2) throw new Error('skip: PARLEY_TEST_TOKENS has no client2');
  const c2 = await browser.newContext();
  try {
    const group = await rest(tokens.client, 'POST', '/api/conversations', {
      type: 'group',
      participants: [sub(tokens.client2)],
      title: unique('Removal'),
    });
    const page = await openApp(c2, tokens.client2, group.id);
    const before = unique('before the removal');
    await rest(tokens.client, 'POST', `/api/conversations/${group.id}/messages`, { clientMessageId: crypto.randomUUID(), content: before });
    await waitUntil('the message before the removal', async () => (await shown(page)).includes(before));
    await rest(tokens.client, 'DELETE', `/api/conversations/${group.id}/participants/${encodeURIComponent(sub(tokens.client2))}`);
    const after = unique('after the removal');
    await rest(tokens.client, 'POST', `/api/conversations/${group.id}/messages`, { clientMessageId: crypto.randomUUID(), content: after });
    await sleep(2_000);
    assert(!(await shown(page)).includes(after), 'the new message is shown to the removed participant');
    assert(!(await page.locator('body').textContent()).includes(after), 'the new message is in the list');
  } finally {
    await c2.close();
  }
});

scenario("a group's participants panel offers Add and Remove to its creator only, Leave to everyone", async (browser) => {
  if (!tokens.client2) throw new Error('skip: PARLEY_TEST_TOKENS has no client2');
  const creator = await browser.newContext();
  const member = await browser.newContext();
  try {
    const group = await rest(tokens.client, 'POST', '/api/conversations', {
      type: 'group',
      participants: [sub(tokens.client2)],
      title: unique('Managed'),
    });
    const panel = async (context, token) => {
      const page = await openApp(context, token, group.id);
      await page.getByText(/^Participants \(2\)$/).click();
      const list = page.getByRole('list', { name: 'Participants' });
      await list.getByRole('button', { name: 'Leave' }).waitFor();
      return { page, list };
    };
    const mine = await panel(creator, tokens.client);
    assert(await mine.list.getByRole('button', { name: `Remove ${sub(tokens.client2)}` }).isVisible(), 'the creator is not offered Remove');
    assert(await mine.page.getByRole('textbox', { name: 'Add a participant' }).isVisible(), 'the creator is not offered Add');
    const theirs = await panel(member, tokens.client2);
    assert((await theirs.list.getByRole('button', { name: /^Remove/ }).count()) === 0, 'a member who did not create the group is offered Remove');
    assert((await theirs.page.getByRole('textbox', { name: 'Add a participant' }).count()) === 0, 'a member who did not create the group is offered Add');
    await theirs.list.getByRole('button', { name: 'Leave' }).click();
    await waitUntil('the creator to see one participant left', async () => (await mine.page.getByText(/^Participants \(1\)$/).count()) === 1);
  } finally {
    await creator.close();
    await member.close();
  }
});

scenario('a new direct conversation names the other user once they come online; muting sticks; earlier messages stay seen', async (browser) => {
  if (!tokens.client2) throw new Error('skip: PARLEY_TEST_TOKENS has no client2');
  if (standIn) throw new Error('skip: the stand-in has no presence names or mutes');
  const cc = await browser.newContext();
  const oc = await browser.newContext();
  try {
    const client = await openApp(cc, tokens.client);
    const other = sub(tokens.client2);
    const otherName = JSON.parse(Buffer.from(tokens.client2.split('.')[1], 'base64url').toString()).name;
    // created while the client's app is open: the list learns it from its frame, which has no names
    const direct = await rest(tokens.client, 'POST', '/api/conversations', { type: 'direct', participants: [other] });
    const list = client.getByRole('list', { name: 'Conversations' });
    await list.locator(`[data-conversation-id="${direct.id}"] button`).first().click();
    await log(client).waitFor();
    const first = unique('first');
    await send(client, first);
    const them = await openApp(oc, tokens.client2, direct.id);
    await waitUntil('the other to see the message', async () => (await shown(them)).includes(first));
    assert(otherName, 'the client2 token has no name claim');
    await waitUntil(`the client's header to name the other user (${otherName})`, async () =>
      (await client.locator('.conv-heading').textContent())?.includes(otherName),
    );
    await client.locator('.msg', { hasText: first }).getByText('Seen').waitFor();
    // the other leaves; a later message is only sent, and the first one stays seen
    await them.close();
    const second = unique('second');
    await send(client, second);
    await client.locator('.msg', { hasText: second }).getByText('Sent').waitFor();
    assert(
      (await client.locator('.msg', { hasText: first }).getByText('Seen').count()) === 1,
      'the first message went back to "Sent" when a later one was not read yet',
    );

    // mute: the button is pressed, the list says so, and a reload still shows it muted (the server has it)
    await client.getByRole('button', { name: 'Mute', exact: true }).click();
    await client.getByRole('button', { name: 'Unmute', exact: true }).waitFor();
    assert((await client.getByRole('button', { name: 'Unmute', exact: true }).getAttribute('aria-pressed')) === 'true', 'Unmute is not pressed');
    await waitUntil('the view to say muted', async () => (await rest(tokens.client, 'GET', `/api/conversations/${direct.id}`)).muted === true);
    await client.reload();
    await client.getByRole('button', { name: 'Unmute', exact: true }).waitFor();
    await client.getByRole('button', { name: 'Unmute', exact: true }).click();
    await client.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await waitUntil('the view to say unmuted', async () => (await rest(tokens.client, 'GET', `/api/conversations/${direct.id}`)).muted === false);
  } finally {
    await cc.close();
    await oc.close();
  }
});

scenario('edits and deletions: the sender edits, an admin deletes in a support conversation', async (browser) => {
  const cc = await browser.newContext();
  const ac = await browser.newContext();
  try {
    const id = await clientSupport();
    const client = await openApp(cc, tokens.client, id);
    const admin = await openApp(ac, tokens.admin, id);
    admin.on('dialog', (d) => void d.accept());
    const text = unique('to be edited');
    await send(client, text);
    const mine = client.locator('.msg[data-status="sent"]', { hasText: text });
    await mine.waitFor();
    await mine.getByRole('button', { name: /^Edit message/ }).click();
    const box = client.getByRole('textbox', { name: 'Edit message' });
    await box.fill(`${text} (edited)`);
    await box.press('Enter');
    await waitUntil('the admin to see the edit', async () => (await shown(admin)).includes(`${text} (edited)`));
    await admin.locator('.msg', { hasText: `${text} (edited)` }).getByRole('button', { name: /^Delete message/ }).click();
    await waitUntil('the client to see the deletion', async () => !(await shown(client)).includes(`${text} (edited)`));
    assert((await shown(client)).includes('Message deleted'), 'no trace of the deleted message');
  } finally {
    await cc.close();
    await ac.close();
  }
});

scenario('history loads older messages when scrolled to the top', async (browser) => {
  const cc = await browser.newContext();
  try {
    const group = await rest(tokens.client, 'POST', '/api/conversations', {
      type: 'group',
      participants: [tokens.client2 ? sub(tokens.client2) : sub(tokens.admin)],
      title: unique('History'),
    });
    for (let i = 1; i <= 70; i++) {
      const body = { clientMessageId: crypto.randomUUID(), content: `history ${i}` };
      await waitUntil(`message ${i} stored`, async () => {
        const res = await fetch(`${gateway}/api/conversations/${group.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.client}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status === 429) await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        return res.ok;
      });
    }
    const page = await openApp(cc, tokens.client, group.id);
    await waitUntil('the latest page', async () => (await shown(page)).includes('history 70'));
    assert(!(await shown(page)).includes('history 1'), 'the first page holds everything');
    await waitUntil('the oldest message after scrolling up', async () => {
      await log(page).evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      return (await shown(page)).includes('history 1');
    });
    const s = await shown(page);
    for (let i = 1; i <= 70; i++) assert(s.filter((x) => x === `history ${i}`).length === 1, `history ${i} not once`);
  } finally {
    await cc.close();
  }
});

scenario('a client attaches a picture and a PDF; the admin sees the thumbnail and downloads the PDF', async (browser) => {
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const ac = await browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  try {
    const id = await clientSupport();
    const client = await openApp(cc, tokens.client, id);
    const admin = await openApp(ac, tokens.admin, id);
    await log(admin).waitFor();
    const tag = Math.random().toString(36).slice(2, 8);
    const pngName = `photo-${tag}.png`;
    const pdfName = `report-${tag}.pdf`;
    const png = makePng();
    const pdf = makePdf(`Report ${tag}`);
    // hold the uploads a moment so that their progress bars can be seen
    let held = 0;
    await client.route(/\/api\/conversations\/[^/]+\/attachments$/, async (route) => {
      held++;
      await sleep(700);
      await route.continue();
    });
    await attach(client, [
      { name: pngName, mimeType: 'image/png', buffer: png },
      { name: pdfName, mimeType: 'application/pdf', buffer: pdf },
    ]);
    const bar = client.getByRole('progressbar', { name: new RegExp(pngName.replace('.', '\\.')) });
    await bar.waitFor();
    assert((await bar.getAttribute('aria-valuenow')) !== null, 'the progress bar has no aria-valuenow');
    await client.getByRole('progressbar', { name: new RegExp(pdfName.replace('.', '\\.')) }).waitFor();
    await shot(client, 'files-uploading');
    // finished: each has a Remove button and no progress bar
    await uploadsList(client).getByRole('button', { name: `Remove ${pngName}` }).waitFor();
    await uploadsList(client).getByRole('button', { name: `Remove ${pdfName}` }).waitFor();
    assert((await client.getByRole('progressbar').count()) === 0, 'a progress bar is left');
    assert(held === 2, `${held} upload requests for two files`);
    const text = unique('Here are the files');
    await client.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
    await client.getByRole('button', { name: 'Send', exact: true }).click();
    await waitUntil('the files list to empty', async () => (await uploadsList(client).count()) === 0);

    // the stored message carries both, in order, as the contract describes them
    const stored = await waitUntil('the message stored', async () =>
      (await allMessages(tokens.client, id)).find((m) => m.content === text),
    );
    assert(stored.attachments.length === 2, `${stored.attachments.length} attachments stored`);
    const [a0, a1] = stored.attachments;
    assert(a0.name === pngName && a0.contentType === 'image/png' && a0.thumbnailUrl && a0.width === 96, `picture: ${JSON.stringify(a0)}`);
    assert(a1.name === pdfName && a1.contentType === 'application/pdf' && a1.size === pdf.length && !a1.thumbnailUrl, `PDF: ${JSON.stringify(a1)}`);

    // the admin sees the thumbnail (loaded with the token) and a download link with the size
    const thumb = log(admin).getByRole('img', { name: pngName, exact: true });
    await thumb.waitFor();
    await waitUntil('the thumbnail to be decoded', async () =>
      thumb.evaluate((img) => img.complete && img.naturalWidth > 0),
    );
    const link = log(admin).getByRole('link', { name: new RegExp(pdfName.replace('.', '\\.')) });
    await link.waitFor();
    assert(/\d/.test((await link.getAttribute('aria-label')) ?? ''), 'the download link does not give the size');
    const [download] = await Promise.all([admin.waitForEvent('download'), link.click()]);
    assert(download.suggestedFilename() === pdfName, `downloaded as ${download.suggestedFilename()}`);
    const got = readFileSync(await download.path());
    assert(got.equals(pdf), `downloaded ${got.length} bytes, not the PDF's ${pdf.length}`);
    // the thumbnail opens the full picture
    await log(admin).getByRole('button', { name: `Open ${pngName}` }).click();
    const dialog = admin.getByRole('dialog', { name: pngName });
    await dialog.waitFor();
    const full = dialog.getByRole('img', { name: pngName, exact: true });
    await waitUntil('the full picture', async () => full.evaluate((img) => img.complete && img.naturalWidth === 96));
    await shot(admin, 'files-image-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // the client sees its own message with the picture too
    await waitUntil('the client to see its thumbnail', async () =>
      log(client).getByRole('img', { name: pngName, exact: true }).evaluate((img) => img.complete && img.naturalWidth > 0),
    );
    await shot(admin, 'files-conversation');
  } finally {
    await cc.close();
    await ac.close();
  }
});

scenario('an upload over the size limit shows the error next to the file, and nothing is sent', async (browser) => {
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  try {
    const id = await clientSupport();
    const client = await openApp(cc, tokens.client, id);
    const name = `too-big-${Math.random().toString(36).slice(2, 8)}.bin`;
    const path = join(dir, name);
    writeFileSync(path, Buffer.alloc(MAX_FILE_SIZE + 1, 7));
    const lastSeq = async () => (await allMessages(tokens.client, id)).at(-1)?.seq ?? 0;
    const before = await lastSeq();
    await attach(client, [path]);
    const item = uploadsList(client).getByRole('listitem').filter({ hasText: name });
    const alert = item.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    const said = (await alert.textContent()) ?? '';
    assert(said.startsWith('Too large'), `the error says "${said}"`);
    assert((await item.getByRole('progressbar').count()) === 0, 'still a progress bar');
    await shot(client, 'files-too-large');
    await item.getByRole('button', { name: `Remove ${name}` }).click();
    await item.waitFor({ state: 'detached' });
    assert((await lastSeq()) === before, 'a message was sent');
  } finally {
    await cc.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

scenario('files dropped on the conversation or pasted into the message box are uploaded, and can be removed', async (browser) => {
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const id = await clientSupport();
    const client = await openApp(cc, tokens.client, id);
    const tag = Math.random().toString(36).slice(2, 8);
    const dropped = `dropped-${tag}.txt`;
    const pasted = `pasted-${tag}.png`;
    const png = [...makePng(8, 8)];
    // a drop of a file on the messages, then a paste of an image into the message box (as the browser fires them)
    await log(client).evaluate((el, name) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped text'], name, { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, dropped);
    await client.getByRole('textbox', { name: 'Message', exact: true }).evaluate(
      (el, [name, bytes]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      },
      [pasted, png],
    );
    for (const name of [dropped, pasted]) {
      await uploadsList(client).getByRole('button', { name: `Remove ${name}` }).click();
    }
    await waitUntil('the files list to empty', async () => (await uploadsList(client).count()) === 0);
  } finally {
    await cc.close();
  }
});

scenario('screenshots of the three roles', async (browser) => {
  const roles = [
    ['client', tokens.client, { width: 1200, height: 800 }],
    ['expert', tokens.expert, { width: 1200, height: 800 }],
    ['admin', tokens.admin, { width: 1200, height: 800 }],
    ['client-phone', tokens.client, { width: 390, height: 760 }],
  ];
  for (const [name, token, viewport] of roles) {
    if (!token) {
      console.log(`#   no ${name} token: no screenshot`);
      continue;
    }
    const ctx = await browser.newContext({ viewport });
    try {
      if (name === 'expert') {
        const support = await rest(token, 'GET', '/api/conversations/support');
        if (support.lastSeq === 0) {
          await rest(token, 'POST', `/api/conversations/${support.id}/messages`, {
            clientMessageId: crypto.randomUUID(),
            content: 'Hello, could someone check why my profile is not visible yet?',
          });
        }
      }
      const page = await openApp(ctx, token);
      if (name === 'admin') await page.getByRole('tab', { name: 'Support desk' }).click();
      else await openConversationFromList(page, 0);
      await sleep(500);
      await shot(page, `${name}-main`);
    } finally {
      await ctx.close();
    }
  }
});

const oidcUsers = process.env.PARLEY_TEST_OIDC ? JSON.parse(process.env.PARLEY_TEST_OIDC) : undefined;

/**
 * Opens the app at / with no token: it finds the issuer in /config.json and offers to sign in; the user signs in on the
 * issuer's login form (a username and a password field, as Keycloak's), and the issuer sends the browser back to the
 * app with a code, which the app redeems (authorization code with PKCE).
 */
async function signInWithIssuer(context, { username, password }) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.log(`#   page error: ${e.message}`));
  // a policy that keeps the app from its issuer shows here (the browser's own /favicon.ico 404 does not)
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log(`#   console: ${m.text()}`);
  });
  await page.goto(`${gateway}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.href.startsWith(`${gateway}/`));
  console.log(`#   ${username} at the issuer's login form ${new URL(page.url()).pathname}`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="password"]').press('Enter');
  await page.waitForURL((url) => url.href.startsWith(`${gateway}/`));
  await page.getByRole('list', { name: 'Conversations' }).or(page.getByRole('alert')).first().waitFor();
  const alert = page.getByRole('alert');
  if (await alert.count()) throw new Error(`signing in failed: ${await alert.first().textContent()}`);
  await waitUntil('the connection to open', async () => (await status(page)) === 'open');
  return page;
}

/** The access token oidc-client-ts keeps for the tab (sessionStorage `oidc.user:<authority>:<client>`). */
const oidcAccessToken = (page) =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
    return key ? JSON.parse(sessionStorage.getItem(key)).access_token : undefined;
  });

scenario('OpenID Connect: a client and an admin sign in on the issuer, chat, and the token is renewed silently', async (browser) => {
  if (!oidcUsers) throw new Error('skip: no PARLEY_TEST_OIDC users');
  const cc = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const ac = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const client = await signInWithIssuer(cc, oidcUsers.client);
    assert(!client.url().includes('code='), `the code is removed from the address: ${client.url()}`);
    const first = await oidcAccessToken(client);
    assert(first, 'the token is kept for the tab');
    const list = client.getByRole('list', { name: 'Conversations' });
    await waitUntil('the support conversation first', async () =>
      (await list.getByRole('listitem').first().textContent())?.includes('Support'),
    );
    assert(!(await client.getByRole('tab', { name: 'Unanswered' }).count()), 'a client has no support desk');
    await openConversationFromList(client, 0);
    const hello = unique('Hello through the issuer');
    await send(client, hello);
    await waitUntil('the client to see its message sent', async () => (await shown(client)).includes(hello));

    // the role is read where the services read it (/config.json's roleClaim, e.g. realm_access/roles): the desk
    const admin = await signInWithIssuer(ac, oidcUsers.admin);
    const { id } = await rest(await oidcAccessToken(client), 'GET', '/api/conversations/support');
    const adminToken = await oidcAccessToken(admin);
    // the list is a read model that follows a message by a few milliseconds: wait until it shows it
    await waitUntil('the read model to list the conversation as unanswered', async () =>
      (await rest(adminToken, 'GET', '/api/conversations?filter=unanswered&limit=100')).items.some((c) => c.id === id),
    );
    await admin.getByRole('tab', { name: 'Unanswered' }).click();
    const desk = admin.getByRole('list', { name: 'Unanswered support conversations' });
    await waitUntil('the conversation in the unanswered filter', async () => (await desk.textContent())?.includes(hello.slice(0, 20)));
    await desk.locator(`[data-conversation-id="${id}"] button`).first().click();
    await waitUntil('the admin to see the client message', async () => (await shown(admin)).includes(hello));
    const reply = unique('Hello from support, signed in at the issuer');
    await send(admin, reply);
    await waitUntil('the client to see the reply', async () => (await shown(client)).includes(reply));

    // silent renewal: the issuer's tokens for the app live shortly (KeycloakIT: 75 s), the app renews them before
    // their end without leaving the page, and goes on working with the new one
    const exp = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()).exp * 1000;
    await waitUntil('a renewed token', async () => (await oidcAccessToken(client)) !== first, Math.max(TIMEOUT, exp - Date.now() + 5_000));
    assert(client.url().startsWith(`${gateway}/`), 'the app stayed where it was');
    assert((await status(client)) === 'open', 'the connection stayed open');
    const after = unique('After the renewal');
    await send(client, after);
    await waitUntil('the admin to see the message sent after the renewal', async () => (await shown(admin)).includes(after));
    const renewed = await oidcAccessToken(client);
    const expOf = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()).exp;
    assert(expOf(renewed) > expOf(first), 'the renewed token ends later');
    await rest(renewed, 'GET', '/api/conversations?limit=1');
  } finally {
    await cc.close();
    await ac.close();
  }
});

// --- run --------------------------------------------------------------------------------------------------------

const only = process.env.PARLEY_E2E_ONLY;
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // launch() gives each run a fresh temporary profile (the role of a fresh --user-data-dir)
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  for (const s of scenarios) {
    if (only && !s.name.includes(only)) continue;
    const t0 = Date.now();
    try {
      await s.fn(browser);
      passed++;
      console.log(`ok - ${s.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      if (String(e?.message).startsWith('skip:')) {
        skipped++;
        console.log(`skip - ${s.name}: ${e.message.slice(5).trim()}`);
      } else {
        failed++;
        console.log(`not ok - ${s.name}: ${e?.stack ?? e}`);
      }
    }
  }
} finally {
  await browser.close();
  await standIn?.stop();
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
