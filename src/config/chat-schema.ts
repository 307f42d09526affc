import { z } from 'zod';
import { Name } from '../intent/schema.js';

/**
 * `chat:` in oresi.yaml. Secrets never live here: the Discord public key may (it is public), the
 * bot token and the Slack signing secret are read from the environment variables named here.
 * A platform is served only when its block is present.
 */
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name' });
/** Discord ids are snowflakes: decimal integers as text. */
const Snowflake = z.string().regex(/^[0-9]{1,25}$/, { message: 'must be a Discord id (digits)' });
const SlackUserId = z.string().regex(/^[A-Z0-9]{2,32}$/, { message: 'must be a Slack user id such as U024BE7LH' });

export const DiscordChatConfig = z.strictObject({
  /** The application's public key (64 hex characters); else read from publicKeyEnv. */
  publicKey: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (the application public key)' }).optional(),
  publicKeyEnv: EnvName.default('ORESI_DISCORD_PUBLIC_KEY'),
  /** Needed by `oresi discord register`; interactions carry their own application_id. */
  applicationId: Snowflake.optional(),
  botTokenEnv: EnvName.default('ORESI_DISCORD_BOT_TOKEN'),
  apiUrl: z.url().default('https://discord.com/api/v10'),
  /** Discord user id → principal name. Wins over roles. */
  users: z.record(Snowflake, Name).default({}),
  /** Discord guild role id → principal name, for members without a users entry. */
  roles: z.record(Snowflake, Name).default({}),
});
export type DiscordChatConfig = z.infer<typeof DiscordChatConfig>;

export const SlackChatConfig = z.strictObject({
  signingSecretEnv: EnvName.default('ORESI_SLACK_SIGNING_SECRET'),
  /** Slack user id → principal name. */
  users: z.record(SlackUserId, Name).default({}),
  /**
   * Where replies may be POSTed. response_url comes inside the signed body, so this only matters
   * if the signing secret leaks: it stops oresi from being pointed at arbitrary hosts.
   */
  responseUrlOrigins: z.array(z.url()).default(['https://hooks.slack.com']),
});
export type SlackChatConfig = z.infer<typeof SlackChatConfig>;

export const ChatConfig = z.strictObject({
  discord: DiscordChatConfig.optional(),
  slack: SlackChatConfig.optional(),
  /** Signed requests older or newer than this are refused (replay window). */
  maxSkewSeconds: z.number().int().min(5).max(900).default(300),
}).prefault({});
export type ChatConfig = z.infer<typeof ChatConfig>;
