import { describe, expect, it } from 'vitest';
import { Config } from '../config/schema.js';
import { ChatConfig } from '../config/chat-schema.js';
import { createChatIdentities } from './identities.js';

const config = Config.parse({
  roles: { ops: { approve: true }, viewer: { readOnly: true } },
  principals: [{ name: 'alice', roles: ['ops'] }, { name: 'bob', roles: ['viewer'] }, { name: 'carol', roles: ['ops'] }],
});

describe('chat identities', () => {
  const ids = createChatIdentities(config, ChatConfig.parse({
    discord: { publicKey: 'a'.repeat(64), users: { '1': 'alice' }, roles: { '10': 'bob', '11': 'carol', '12': 'bob' } },
    slack: { users: { U1: 'carol' } },
  }));

  it('maps a Discord user id first, then roles, to a configured principal with its roles', () => {
    const direct = ids.discord('1', ['10']);
    expect(direct.ok && direct.principal).toMatchObject({ name: 'alice', roleNames: ['ops'], via: 'discord', keyId: 'discord:1' });
    const byRole = ids.discord('2', ['99', '10', '12']);
    expect(byRole.ok && byRole.principal).toMatchObject({ name: 'bob', roles: [{ readOnly: true }] });
  });

  it('refuses unmapped users and roles that point at two principals', () => {
    expect(ids.discord('3', [])).toMatchObject({ ok: false, reason: 'unmapped' });
    expect(ids.discord('3', ['10', '11'])).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(ids.slack('U2')).toMatchObject({ ok: false, reason: 'unmapped' });
    expect(ids.slack('U1')).toMatchObject({ ok: true, principal: { name: 'carol', via: 'slack', keyId: 'slack:U1' } });
  });

  it('a mapping to an unknown principal stops start-up, naming the setting', () => {
    const chat = ChatConfig.parse({ slack: { users: { U9: 'mallory' } } });
    expect(() => createChatIdentities(config, chat)).toThrow(/chat\.slack\.users\.U9: no principal named "mallory"/);
  });

  it('rejects unknown keys and malformed ids in chat config', () => {
    expect(ChatConfig.safeParse({ discord: { publicKey: 'xyz' } }).success).toBe(false);
    expect(ChatConfig.safeParse({ discord: { users: { alice: 'alice' } } }).success).toBe(false);
    expect(ChatConfig.safeParse({ slack: { signingSecret: 'inline' } }).success).toBe(false);
    expect(ChatConfig.parse({})).toEqual({ maxSkewSeconds: 300 });
  });
});
