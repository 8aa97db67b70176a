import type { Conversation, Message } from '@parley/client';
import type { Role } from './auth';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? time.format(d) : `${day.format(d)} ${time.format(d)}`;
}

/** "3 min", "2 h 5 min", "4 d 1 h". */
export function duration(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 1) return 'less than a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The other participants (the caller left out). */
export function others(c: Conversation, me: string): string[] {
  return c.participants.filter((p) => p !== me);
}

/**
 * The display names this browser has seen (each message carries its sender's), kept in localStorage so that a
 * conversation whose last message is someone else's still shows its members by name after a reload. At most
 * {@link NAMES_KEPT} are kept; forgotten on sign-out ({@link forgetNames}).
 */
const NAMES_KEY = 'parley.names';
const NAMES_KEPT = 2000;
const names: Map<string, string> = loadNames();

function loadNames(): Map<string, string> {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(NAMES_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object') {
      return new Map(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // unreadable: start afresh
  }
  return new Map();
}

let saving: ReturnType<typeof setTimeout> | undefined;
function saveNamesSoon() {
  if (saving !== undefined || typeof localStorage === 'undefined') return;
  saving = setTimeout(() => {
    saving = undefined;
    try {
      localStorage.setItem(NAMES_KEY, JSON.stringify(Object.fromEntries(names)));
    } catch {
      // storage full or refused: names stay for this page
    }
  }, 500);
}

/** Remembers that {@code userId} is called {@code name} (a message's sender, the signed-in user). */
export function learnName(userId: string, name: string | null | undefined): void {
  if (!name || name === userId || names.get(userId) === name) return;
  names.delete(userId); // the most recent last, so the oldest go first
  names.set(userId, name);
  while (names.size > NAMES_KEPT) names.delete(names.keys().next().value as string);
  saveNamesSoon();
}

/** Forgets every remembered name (sign-out). */
export function forgetNames(): void {
  names.clear();
  try {
    localStorage.removeItem(NAMES_KEY);
  } catch {
    // nothing stored
  }
}

/**
 * A display name for a user id: the name the conversation gives them (`names`), else the sender name of its last
 * message when it is theirs, else the name seen on any of their messages in this browser, else the id.
 */
export function nameOf(userId: string, c: Conversation | undefined): string {
  const known = c?.names?.[userId];
  if (known) {
    learnName(userId, known);
    return known;
  }
  if (c?.lastMessage && c.lastMessage.senderId === userId && c.lastMessage.senderName) {
    learnName(userId, c.lastMessage.senderName);
    return c.lastMessage.senderName;
  }
  return names.get(userId) ?? userId;
}

export function titleOf(c: Conversation, me: string, role: Role): string {
  if (c.title) return c.title;
  if (c.type === 'support') {
    if (role === 'admin' || !c.participants.includes(me)) {
      const owner = c.participants[0];
      // the badge says Support: the title names the client or expert waiting there
      return owner ? nameOf(owner, c) : 'Support';
    }
    return 'Support team';
  }
  const o = others(c, me);
  if (o.length === 0) return 'Just you';
  return o.map((u) => nameOf(u, c)).join(', ');
}

export function preview(m: Message | null, me: string): string {
  if (!m) return 'No messages yet';
  const who = m.senderId === me ? 'You: ' : `${m.senderName}: `;
  if (m.deletedAt) return `${who}message deleted`;
  if (m.content) return who + m.content.replace(/\s+/g, ' ').slice(0, 80);
  const n = m.attachments.length;
  return `${who}📎 ${n} ${n === 1 ? 'file' : 'files'}`;
}

/** The most characters (Unicode code points, as the API counts them) a message may have. */
export const MAX_CHARACTERS = 8000;

/** How many characters (code points) {@link MAX_CHARACTERS} counts in `text`: an emoji is one, not two. */
export function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** What to tell a writer whose text is over {@link MAX_CHARACTERS}, or null when it is not. */
export function tooLong(text: string): string | null {
  if (text.length <= MAX_CHARACTERS) return null;
  const over = characters(text) - MAX_CHARACTERS;
  return over > 0
    ? `Too long: ${over.toLocaleString('en')} ${over === 1 ? 'character' : 'characters'} over the ${MAX_CHARACTERS.toLocaleString('en')} a message may have.`
    : null;
}
