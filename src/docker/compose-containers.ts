import type { ComposeContainer, ContainerHealth, RawContainer } from './engine-types.js';

const L = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
} as const;

/** Maps one Engine API list entry to what oresi reads; null when it is not a compose container. */
export function toComposeContainer(raw: RawContainer): ComposeContainer | null {
  const labels = raw.Labels;
  const project = labels[L.project];
  if (!project) return null;
  const number = Number.parseInt(labels[L.number] ?? '', 10);
  return {
    id: raw.Id,
    name: (raw.Names?.[0] ?? '').replace(/^\//, ''),
    project,
    service: labels[L.service] ?? '',
    number: Number.isFinite(number) ? number : null,
    state: raw.State,
    status: raw.Status,
    health: parseHealth(raw.Health?.Status, raw.Status),
    image: raw.Image,
    imageId: raw.ImageID,
    created: raw.Created * 1000,
    labels,
    configHash: labels[L.configHash] ?? null,
    composeVersion: labels[L.version] ?? null,
    workingDir: labels[L.workingDir] ?? null,
    configFiles: (labels[L.configFiles] ?? '').split(',').filter((f) => f !== ''),
  };
}

/**
 * Health from the list call. Newer engines send `Health.Status`; older ones (API 1.41, as in
 * Debian's docker.io) only put it in the Status text: "Up 3 minutes (health: starting)".
 */
export function parseHealth(explicit: string | undefined, status: string): ContainerHealth {
  const known = (s: string | undefined): ContainerHealth =>
    s === 'healthy' || s === 'unhealthy' || s === 'starting' ? s : null;
  const fromField = known(explicit);
  if (fromField) return fromField;
  const match = /\((?:health: )?(healthy|unhealthy|starting)\)/.exec(status);
  return known(match?.[1]);
}

/** Sorted by project, service, number, so listings and diffs are stable. */
export function compareContainers(a: ComposeContainer, b: ComposeContainer): number {
  return (
    compareText(a.project, b.project) ||
    compareText(a.service, b.service) ||
    (a.number ?? 0) - (b.number ?? 0) ||
    compareText(a.name, b.name)
  );
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
