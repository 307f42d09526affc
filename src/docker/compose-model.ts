import { readComposeServices } from './compose-yaml.js';
import type { DeclaredPort, DeclaredService, StackModel } from '../policy/drift-types.js';
import { interpolate, splitCommand } from './compose-model-text.js';

export interface ComposeSource {
  name: string;
  dir: string;
  composeFile: string;
  /** Variables compose interpolates with (env files, then its own environment). */
  vars: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

/**
 * The declared state of one stack, from its compose file text. Fields compose would fill from
 * an unset variable are listed in `unresolved` instead of being guessed.
 */
export function parseComposeModel(text: string, src: ComposeSource): StackModel {
  const services = readComposeServices(text, { name: src.name, file: src.composeFile });
  return {
    name: src.name,
    dir: src.dir,
    composeFile: src.composeFile,
    services: Object.entries(services).map(([name, raw]) => toService(name, isObject(raw) ? raw : {}, src.vars)),
  };
}

function toService(name: string, raw: Json, vars: Readonly<Record<string, string>>): DeclaredService {
  const unresolved = new Set<string>();
  // Interpolate field by field so an unset variable only blinds the field that uses it.
  const field = (key: string): unknown => expand(raw[key], vars, () => unresolved.add(key));
  const image = field('image');
  const deploy = field('deploy');
  const healthcheck = field('healthcheck');
  const profiles = field('profiles');
  return {
    name,
    image: typeof image === 'string' && image !== '' ? image : null,
    replicas: toReplicas(field('scale'), isObject(deploy) ? deploy : {}),
    command: toCommand(field('command'), () => unresolved.add('command')),
    environment: toEnvironment(field('environment')),
    ports: toPorts(field('ports')),
    volumeTargets: toVolumeTargets(field('volumes')),
    labels: toLabels(field('labels')),
    healthcheck: isObject(healthcheck) && healthcheck.disable !== true,
    optional: Array.isArray(profiles) && profiles.length > 0,
    unresolved: [...unresolved],
  };
}

function expand(value: unknown, vars: Readonly<Record<string, string>>, onUnresolved: () => void): unknown {
  if (typeof value === 'string') {
    const r = interpolate(value, vars);
    if (r.unresolved) onUnresolved();
    return r.value;
  }
  if (Array.isArray(value)) return value.map((v) => expand(v, vars, onUnresolved));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, vars, onUnresolved)]));
  }
  return value;
}

function toReplicas(scale: unknown, deploy: Json): number {
  const n = toInt(scale) ?? (deploy.mode === 'global' ? 1 : toInt(deploy.replicas));
  return n ?? 1;
}

function toCommand(value: unknown, onBad: () => void): string[] | null {
  if (Array.isArray(value)) return value.map((v) => scalarText(v));
  if (typeof value !== 'string') return null;
  const words = splitCommand(value);
  if (words === null) onBad();
  return words;
}

function toEnvironment(value: unknown): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      const eq = text.indexOf('=');
      if (eq < 0) env[text] = null;
      else env[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) env[k] = v === null || v === undefined ? null : scalarText(v);
  }
  return env;
}

function toLabels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(toEnvironment(value))) out[k] = v ?? '';
  return out;
}

/** null when some entry is a range or a form not understood: then ports are not compared. */
export function toPorts(value: unknown): DeclaredPort[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return null;
  const ports: DeclaredPort[] = [];
  for (const item of value) {
    const port = isObject(item) ? longPort(item) : shortPort(scalarText(item));
    if (port === null) return null;
    ports.push(port);
  }
  return ports;
}

function longPort(p: Json): DeclaredPort | null {
  const target = scalarText(p.target ?? '');
  const published = p.published === undefined || p.published === null ? null : scalarText(p.published);
  if (target === '' || /-/.test(target) || (published !== null && /-/.test(published))) return null;
  return { hostIp: scalarText(p.host_ip ?? ''), published, target, protocol: scalarText(p.protocol ?? 'tcp') };
}

function shortPort(text: string): DeclaredPort | null {
  const slash = text.lastIndexOf('/');
  const protocol = slash >= 0 ? text.slice(slash + 1) : 'tcp';
  let rest = slash >= 0 ? text.slice(0, slash) : text;
  let hostIp = '';
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1] ?? '';
    rest = v6[2] ?? '';
  }
  const parts = rest.split(':');
  if (parts.some((p) => p.includes('-')) || parts.length > 3) return null;
  if (parts.length === 3) hostIp = parts.shift() ?? '';
  const target = parts.pop() ?? '';
  const published = parts[0] === undefined || parts[0] === '' ? null : parts[0];
  if (!/^\d+$/.test(target)) return null;
  return { hostIp, published, target, protocol };
}

function toVolumeTargets(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((v) => {
      if (isObject(v)) return scalarText(v.target ?? '');
      const parts = scalarText(v).split(':');
      return (parts.length === 1 ? parts[0] : parts[1]) ?? '';
    })
    .filter((t) => t !== '');
}

function toInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** YAML scalars as compose passes them on: numbers and booleans as their text. */
function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
