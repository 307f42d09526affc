import { parseDocument } from 'yaml';
import { interpolate } from '../docker/compose-model-text.js';
import { canonicalJson } from '../canonical-json.js';
import type { ComposeFacts, ParsedCompose, PortFacts, ServiceFacts, VolumeFacts } from './types.js';

/**
 * The facts the rubric needs from one compose file, read from its text without interpolation
 * (a review sees the repository, not the host's .env). Pure; unknown shapes are tolerated,
 * because compose itself is the judge of validity and `oresi check` only asks for services.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

export function parseComposeFacts(text: string): ParsedCompose {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) return { ok: false, error: `not valid YAML: ${first.message.split('\n')[0] ?? ''}` };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, error: `cannot be read: ${(err as Error).message}` };
  }
  if (!isObject(data)) return { ok: false, error: 'is not a mapping' };
  const services = data.services;
  if (!isObject(services) || Object.keys(services).length === 0) return { ok: false, error: 'has no services' };
  const facts: ComposeFacts = {
    services: Object.entries(services).map(([name, raw]) => toServiceFacts(name, isObject(raw) ? raw : {})),
    volumes: isObject(data.volumes) ? Object.keys(data.volumes) : [],
  };
  return { ok: true, facts };
}

function toServiceFacts(name: string, raw: Json): ServiceFacts {
  const image = str(raw.image);
  const healthcheck = raw.healthcheck;
  return {
    name,
    image,
    imageResolved: image === null ? null : resolveDefaults(image),
    build: raw.build !== undefined,
    privileged: raw.privileged === true || raw.privileged === 'true',
    capAdd: Array.isArray(raw.cap_add) ? raw.cap_add.map((c) => String(c).toUpperCase().replace(/^CAP_/, '')) : [],
    user: str(raw.user),
    networkMode: str(raw.network_mode),
    restart: str(raw.restart) ?? (isObject(raw.deploy) && isObject(raw.deploy.restart_policy) ? str(raw.deploy.restart_policy.condition) : null),
    healthcheck: !isObject(healthcheck) ? 'none' : healthcheck.disable === true ? 'disabled' : 'present',
    ports: Array.isArray(raw.ports) ? raw.ports.flatMap(toPort) : [],
    volumes: Array.isArray(raw.volumes) ? raw.volumes.flatMap(toVolume) : [],
    labels: toStringMap(raw.labels),
    environment: toEnvironment(raw.environment),
    fingerprint: canonicalJson(stripUndefined(raw)),
  };
}

/** `${IMAGE:-busybox:1.36.1}` → `busybox:1.36.1`; a variable without a default → null. */
function resolveDefaults(image: string): string | null {
  const r = interpolate(image, {});
  return r.unresolved || r.value === '' ? null : r.value;
}

/** Short (`[ip:]host:container[/proto]`, `[::1]:80:80`) and long syntax. */
export function toPort(raw: unknown): PortFacts[] {
  if (isObject(raw)) {
    const target = str(raw.target) ?? '';
    return [{ hostIp: str(raw.host_ip), published: str(raw.published), target, raw: JSON.stringify(raw) }];
  }
  const text = str(raw);
  if (text === null) return [];
  const spec = text.replace(/\/[a-z]+$/i, '');
  let hostIp: string | null = null;
  let rest = spec;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  if (bracket) {
    hostIp = bracket[1] ?? null;
    rest = bracket[2] ?? '';
  }
  const parts = rest.split(':');
  if (!bracket && parts.length >= 3) hostIp = parts.slice(0, parts.length - 2).join(':');
  const target = parts[parts.length - 1] ?? '';
  const published = parts.length >= 2 ? (parts[parts.length - 2] ?? null) : null;
  return [{ hostIp: hostIp === '' ? null : hostIp, published: published === '' ? null : published, target, raw: text }];
}

export function toVolume(raw: unknown): VolumeFacts[] {
  if (isObject(raw)) {
    const type = raw.type === 'bind' || raw.type === 'volume' || raw.type === 'tmpfs' ? raw.type : 'other';
    return [{ type, source: str(raw.source), target: str(raw.target) ?? '', readOnly: raw.read_only === true, raw: JSON.stringify(raw) }];
  }
  const text = str(raw);
  if (text === null) return [];
  const parts = text.split(':');
  if (parts.length === 1) return [{ type: 'volume', source: null, target: text, readOnly: false, raw: text }];
  const source = parts[0] ?? '';
  const mode = parts[2] ?? '';
  const bind = /^[./~$]/.test(source);
  return [{
    type: bind ? 'bind' : 'volume',
    source,
    target: parts[1] ?? '',
    readOnly: mode.split(',').includes('ro'),
    raw: text,
  }];
}

function toStringMap(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) out[k] = v === null || v === undefined ? '' : String(v);
  } else if (Array.isArray(raw)) {
    for (const item of raw) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = '';
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  }
  return out;
}

function toEnvironment(raw: unknown): Record<string, string | null> {
  if (Array.isArray(raw)) {
    const out: Record<string, string | null> = {};
    for (const item of raw) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
    return out;
  }
  const map = toStringMap(raw);
  return map;
}

function stripUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
