import { principalByName } from '../commands/principals.js';
import type { Principal } from '../model.js';
import type { Config } from '../config/schema.js';
import type { ChatConfig } from '../config/chat-schema.js';

export type IdentityMatch =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'unmapped' | 'ambiguous'; message: string };

export interface ChatIdentities {
  /** A users entry wins; else the member's mapped roles, which must all name one principal. */
  discord(userId: string, roleIds: readonly string[]): IdentityMatch;
  slack(userId: string): IdentityMatch;
}

/**
 * Resolved once at start-up: a mapping to an unknown principal (or a principal with an unknown
 * role) stops the server, naming the setting.
 */
export function createChatIdentities(config: Config, chat: ChatConfig): ChatIdentities {
  const build = (table: Record<string, string>, via: Principal['via'], where: string) =>
    new Map(Object.entries(table).map(([id, name]) => [id, principalByName(config, name, via, `${where}.${id}`)]));
  const discordUsers = build(chat.discord?.users ?? {}, 'discord', 'chat.discord.users');
  const discordRoles = build(chat.discord?.roles ?? {}, 'discord', 'chat.discord.roles');
  const slackUsers = build(chat.slack?.users ?? {}, 'slack', 'chat.slack.users');
  const unmapped = (platform: string, id: string): IdentityMatch => ({ ok: false, reason: 'unmapped', message: `${platform} user ${id} is not allowed to use oresi (no chat.${platform} mapping)` });
  // keyId carries the platform's user id into the audit record (run.requested.keyId).
  const tag = (p: Principal, key: string): Principal => ({ ...p, keyId: key });
  return {
    discord(userId, roleIds) {
      const direct = discordUsers.get(userId);
      if (direct) return { ok: true, principal: tag(direct, `discord:${userId}`) };
      const viaRoles = new Map<string, Principal>();
      for (const role of roleIds) {
        const p = discordRoles.get(role);
        if (p) viaRoles.set(p.name, p);
      }
      const [only, ...others] = [...viaRoles.values()];
      if (!only) return unmapped('discord', userId);
      if (others.length > 0) {
        return { ok: false, reason: 'ambiguous', message: `your Discord roles map to several principals (${[...viaRoles.keys()].join(', ')}); map your user id in chat.discord.users` };
      }
      return { ok: true, principal: tag(only, `discord:${userId}`) };
    },
    slack(userId) {
      const p = slackUsers.get(userId);
      return p ? { ok: true, principal: tag(p, `slack:${userId}`) } : unmapped('slack', userId);
    },
  };
}
