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

/** A display name for a user id: the sender name of the last message when it is theirs, else the id. */
export function nameOf(userId: string, c: Conversation | undefined): string {
  if (c?.lastMessage && c.lastMessage.senderId === userId) return c.lastMessage.senderName || userId;
  return userId;
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
