import { buildPullArgv, buildTagArgv, buildUpArgv } from './argv.js';
import { pickCurrent, readDeclaredServices } from './capture.js';
import { buildRollbackTag } from './image-ref.js';
import type { DryRunResult, RolloutContext, RolloutStep, ServiceChange } from './types.js';

/**
 * The rollout as it would run, spawning nothing and writing nothing: the argv of every step, and
 * per service the image it runs against the image its ref names locally now. No registry is
 * asked (a pull is reported as "would pull"), so a move a pull would bring is not shown.
 */
export async function dryRunRollout(
  ctx: Pick<RolloutContext, 'sys' | 'engine' | 'facts' | 'dialect' | 'env'>,
  rolloutId: string,
  scope: readonly string[] | undefined,
  pull: boolean,
): Promise<DryRunResult> {
  const { facts } = ctx;
  const declared = await readDeclaredServices(ctx);
  const containers = (await ctx.engine.listComposeContainers()).filter(
    (c) => c.project === facts.name && c.labels['com.docker.compose.oneoff'] !== 'True',
  );
  const steps: RolloutStep[] = [];
  const changes: ServiceChange[] = [];
  for (const service of scope ?? facts.services) {
    const current = pickCurrent(containers.filter((c) => c.service === service));
    const fallbackRef = current && !current.image.startsWith('sha256:') ? current.image : null;
    const imageRef = declared.images[service] ?? fallbackRef;
    const local = imageRef === null ? null : await ctx.engine.inspectImage(imageRef).catch(() => null);
    const currentImageId = current?.imageId ?? null;
    const localImageId = local?.id ?? null;
    changes.push({
      service,
      imageRef,
      currentImageId,
      localImageId,
      wouldChange: localImageId !== null && localImageId !== currentImageId,
      wouldPull: pull && imageRef !== null,
    });
    if (current) {
      const tag = buildRollbackTag(facts.name, service, rolloutId);
      steps.push({ phase: 'protect', description: `protect the image ${service} runs as ${tag}`, argv: buildTagArgv(current.imageId, tag) });
    }
  }
  if (pull) steps.push({ phase: 'pull', description: `pull images of stack ${facts.name}`, argv: buildPullArgv(ctx.dialect, facts, scope) });
  steps.push({ phase: 'up', description: `up stack ${facts.name}`, argv: buildUpArgv(ctx.dialect, facts, scope) });
  return { dryRun: true, rolloutId, stack: facts.name, steps, changes };
}
