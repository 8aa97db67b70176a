import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '@parley/client';
import { characters, forgetNames, learnName, MAX_CHARACTERS, nameOf, titleOf, tooLong } from '../src/format';

function support(owner: string, lastSender: string, lastName: string): Conversation {
  return {
    id: 'c1',
    type: 'support',
    title: null,
    participants: [owner],
    lastMessage: { senderId: lastSender, senderName: lastName } as Conversation['lastMessage'],
  } as unknown as Conversation;
}

describe('names', () => {
  beforeEach(() => forgetNames());

  it('an admin reply does not turn the support conversation title into the owner id', () => {
    // the client wrote last: the title is their name
    expect(titleOf(support('u-client', 'u-client', 'Demo Client'), 'u-admin', 'admin')).toBe('Demo Client');
    // the admin answered: the client's name is still known
    expect(titleOf(support('u-client', 'u-admin', 'Demo Admin'), 'u-admin', 'admin')).toBe('Demo Client');
  });

  it('a name seen on a message names that user everywhere, until sign-out', () => {
    expect(nameOf('u-kim', undefined)).toBe('u-kim');
    learnName('u-kim', 'Kim');
    expect(nameOf('u-kim', undefined)).toBe('Kim');
    forgetNames();
    expect(nameOf('u-kim', undefined)).toBe('u-kim');
  });

  it('the names a conversation gives its participants name them before anyone has written', () => {
    const c = {
      ...support('u-client', 'u-client', 'Demo Client'),
      lastMessage: null,
      names: { 'u-client': 'Chloé Client' },
    } as unknown as Conversation;
    expect(titleOf(c, 'u-admin', 'admin')).toBe('Chloé Client');
    // and everywhere else afterwards
    expect(nameOf('u-client', undefined)).toBe('Chloé Client');
  });
});

describe('message length', () => {
  it('counts code points as the API does: 8,000 emoji fit, 8,001 do not', () => {
    expect(characters('😀a')).toBe(2);
    expect(tooLong('😀'.repeat(MAX_CHARACTERS))).toBeNull();
    expect(tooLong('😀'.repeat(MAX_CHARACTERS + 1))).toBe('Too long: 1 character over the 8,000 a message may have.');
    expect(tooLong('a'.repeat(9000))).toBe('Too long: 1,000 characters over the 8,000 a message may have.');
  });
});
