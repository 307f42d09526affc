import { readStackDefinition } from '../docker/compose-model-read.js';
import type { ComposeContainer } from '../docker/engine-types.js';
import { isAppError } from '../errors.js';
import { buildRollbackTag } from './image-ref.js';
import type { RollbackPoint, ServicePoint } from './rollback-point.js';
import type { RolloutContext } from './types.js';

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

export interface DeclaredServices {
  /** Services a healthy stack runs: declared, not behind a profile, replicas > 0. */
  expected: string[];
  /** service → declared `image:` (interpolated); null for build-only or unresolved. */
  images: Record<string, string | null>;
}

/**
 * What the compose file declares. When it cannot be read with our parser, every declared
 * service is expected and refs come from the containers: compose itself will report the file.
 */
export async function readDeclaredServices(ctx: Pick<RolloutContext, 'sys' | 'facts' | 'dialect' | 'env'>): Promise<DeclaredServices> {
  try {
    const { model } = await readStackDefinition(ctx.sys.fs, ctx.facts, ctx.dialect, ctx.env);
    const images: Record<string, string | null> = {};
    for (const s of model.services) images[s.name] = s.unresolved.includes('image') ? null : s.image;
    const expected = model.services.filter((s) => !s.optional && s.replicas > 0).map((s) => s.name);
    return { expected, images };
  } catch (err) {
    if (!isAppError(err) && !(err as NodeJS.ErrnoException).code) throw err;
    return { expected: [...ctx.facts.services], images: {} };
  }
}

/**
 * Records, for each service in scope that has a container, the image it runs now. The newest
 * running container decides (else the newest at all); a service running several image ids is
 * marked, since a rollback then restores only one of them.
 */
export async function captureRollbackPoint(
  ctx: Pick<RolloutContext, 'sys' | 'engine' | 'facts'>,
  rolloutId: string,
  scope: readonly string[],
  declaredImages: Readonly<Record<string, string | null>>,
): Promise<RollbackPoint> {
  const all = await ctx.engine.listComposeContainers();
  const services: ServicePoint[] = [];
  let configFiles: string[] = [];
  for (const service of scope) {
    const mine = all.filter((c) => c.project === ctx.facts.name && c.service === service && c.labels['com.docker.compose.oneoff'] !== 'True');
    const chosen = pickCurrent(mine);
    if (!chosen || !IMAGE_ID.test(chosen.imageId)) continue;
    if (configFiles.length === 0) configFiles = chosen.configFiles;
    const info = await ctx.engine.inspectImage(chosen.imageId);
    services.push({
      service,
      imageRef: declaredImages[service] ?? chosen.image,
      imageId: chosen.imageId,
      repoDigests: info?.repoDigests ?? [],
      rollbackTag: buildRollbackTag(ctx.facts.name, service, rolloutId),
      configHash: chosen.configHash,
      composeVersion: chosen.composeVersion,
      mixedImages: new Set(mine.map((c) => c.imageId)).size > 1,
      containers: mine.map((c) => ({ id: c.id, name: c.name, imageId: c.imageId, state: c.state })),
    });
  }
  return {
    version: 1,
    id: rolloutId,
    stack: ctx.facts.name,
    createdAt: new Date(ctx.sys.now()).toISOString(),
    composeFile: ctx.facts.composeFile,
    containerConfigFiles: configFiles,
    services,
  };
}

export function pickCurrent(containers: readonly ComposeContainer[]): ComposeContainer | undefined {
  const newest = (list: readonly ComposeContainer[]) =>
    list.reduce<ComposeContainer | undefined>((best, c) => (best === undefined || c.created > best.created ? c : best), undefined);
  return newest(containers.filter((c) => c.state === 'running')) ?? newest(containers);
}
