import { AppError } from '../errors.js';
import { createDiscordSink } from './discord.js';
import { createHealthchecksSink } from './healthchecks.js';
import { createKumaSink } from './kuma.js';
import type { SinkConfig } from '../config/notify-schema.js';
import { createNtfySink } from './ntfy.js';
import type { Sink, SinkDeps } from './sink-types.js';
import { createSlackSink } from './slack.js';
import { createWebhookSink } from './webhook.js';

export interface CreateSinksDeps extends SinkDeps {
  /** The environment as read once at start-up (Sys.env). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds every configured sink, reading URLs, topics, tokens and secrets from the environment
 * where the config names a variable. A variable that is named but unset stops start-up: an alert
 * path that silently does nothing is worse than no alert path. The values are returned by
 * `collectSinkSecrets` so the wiring can add them to the redactor.
 */
export function createSinks(sinks: Record<string, SinkConfig>, deps: CreateSinksDeps): Record<string, Sink> {
  const out: Record<string, Sink> = {};
  for (const [name, cfg] of Object.entries(sinks)) out[name] = createSink(name, cfg, deps);
  return out;
}

function createSink(name: string, cfg: SinkConfig, deps: CreateSinksDeps): Sink {
  const read = (field: string, envName: string | undefined): string | undefined => readEnv(deps.env, name, field, envName);
  const url = checkUrl(name, read('urlEnv', cfg.urlEnv) ?? cfg.url);
  const base = { name, url, timeoutMs: cfg.timeoutMs };
  switch (cfg.type) {
    case 'discord': return createDiscordSink({ ...base, username: cfg.username }, deps);
    case 'slack': return createSlackSink(base, deps);
    case 'kuma': return createKumaSink(base, deps);
    case 'healthchecks': return createHealthchecksSink(base, deps);
    case 'ntfy': {
      const topic = read('topicEnv', cfg.topicEnv) ?? cfg.topic;
      if (topic === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(topic)) {
        throw configError(name, 'topic', 'must be 1–64 of [A-Za-z0-9_-]');
      }
      return createNtfySink({ ...base, topic, priority: cfg.priority, tags: cfg.tags, token: read('tokenEnv', cfg.tokenEnv) }, deps);
    }
    case 'webhook': return createWebhookSink({ ...base, secret: read('secretEnv', cfg.secretEnv) }, deps);
  }
}

/** Every secret value the sinks were built with (URLs, tokens, HMAC keys), for the redactor. */
export function collectSinkSecrets(sinks: Record<string, SinkConfig>, env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const cfg of Object.values(sinks)) {
    if (cfg.type !== 'ntfy' && cfg.url !== undefined) out.push(cfg.url);
    const names = [cfg.urlEnv, cfg.type === 'ntfy' ? cfg.tokenEnv : undefined, cfg.type === 'webhook' ? cfg.secretEnv : undefined];
    for (const n of names) {
      const v = n !== undefined ? env[n] : undefined;
      if (v !== undefined && v !== '') out.push(v);
    }
  }
  return out;
}

function readEnv(env: CreateSinksDeps['env'], sink: string, field: string, envName: string | undefined): string | undefined {
  if (envName === undefined) return undefined;
  const value = env[envName];
  if (value === undefined || value.trim() === '') throw configError(sink, field, `environment variable ${envName} is not set`);
  return value.trim();
}

function checkUrl(sink: string, value: string | undefined): string {
  if (value === undefined) throw configError(sink, 'url', 'is missing');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw configError(sink, 'url', 'is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw configError(sink, 'url', 'must be http(s)');
  return value;
}

function configError(sink: string, field: string, reason: string): AppError {
  // The message names the setting, never its value (it is a secret).
  return new AppError('E_CONFIG_INVALID', `notify.sinks.${sink}.${field}: ${reason}`, { path: ['notify', 'sinks', sink, field] });
}
