import { AppError, isAppError } from '../errors.js';
import { buildChildEnv } from '../exec/child-env.js';
import type { ComposeDialect, StackFacts } from '../plan/types.js';
import { isHashComparable, needsDefinitionCheck } from '../policy/drift-config.js';
import { evaluateDrift, isClean } from '../policy/drift-rules.js';
import type { ContainerDetail, DefinitionFacts, DriftInput, Finding, ImageFact, ObservedContainer, StackModel } from '../policy/drift-types.js';
import type { Sys } from '../sys/sys.js';
import { readStackDefinition } from './compose-model-read.js';
import type { ContainerInspector } from './drift-inspect.js';
import { readGitChanges } from './drift-git.js';
import { readComposeVersion, readConfigHashes } from './drift-hash.js';
import type { ComposeContainer, EngineClient } from './engine-types.js';

/** compose v1 is a Python start-up per call: a few at a time, not fifty. */
const COMPOSE_CONCURRENCY = 4;
/** As the rules count them (restarting containers are unhealthy, not compared). */
const UP_STATES = new Set(['running', 'paused']);

export interface ProbeDriftOptions {
  sys: Sys;
  engine: Pick<EngineClient, 'listComposeContainers' | 'inspectImage'>;
  /** Names what changed when a hash cannot; without it only image and labels are compared. */
  inspector?: Pick<ContainerInspector, 'inspect'>;
  stacksRoot: string;
  stacks: StackFacts[];
  dialect: ComposeDialect;
  only?: string;
  /** Variables of oresi's environment compose may see (config compose.passEnv). */
  passEnv?: readonly string[];
  requireDigests?: boolean;
  /** The local compose version when already known; asked from the CLI (once) only if needed. */
  composeVersion?: string | null;
}

export interface DriftReport {
  /** ISO 8601. */
  checkedAt: string;
  findings: Finding[];
  stacks: Array<{ name: string; clean: boolean }>;
  /** Stacks that could not be checked (unreadable compose file, compose or git failing). */
  problems: Array<{ stack: string; reason: string }>;
}

/**
 * Declared vs running, for every stack (or `only`): one engine list call for all stacks, one
 * image inspection per distinct ref, two git calls, and compose only for stacks whose files
 * changed after their containers were created.
 */
export async function probeDrift(opts: ProbeDriftOptions): Promise<DriftReport> {
  const { sys, dialect } = opts;
  const checkedAt = new Date(sys.now()).toISOString();
  const selected = opts.only === undefined ? opts.stacks : opts.stacks.filter((s) => s.name === opts.only);
  if (opts.only !== undefined && selected.length === 0) {
    throw new AppError('E_STACK_NOT_FOUND', `Stack ${opts.only} does not exist under ${opts.stacksRoot}.`);
  }
  const env = buildChildEnv(sys.env, opts.passEnv ?? []);
  const problems: DriftReport['problems'] = [];

  const [containers, read, git] = await Promise.all([
    opts.engine.listComposeContainers(),
    Promise.all(selected.map((s) => readStackDefinition(sys.fs, s, dialect, env).catch((err: unknown) => {
      if (!isAppError(err) && !(err as NodeJS.ErrnoException).code) throw err;
      problems.push({ stack: s.name, reason: err instanceof Error ? err.message : String(err) });
      return null;
    }))),
    readGitChanges(sys, opts.stacksRoot, env),
  ]);
  const models: StackModel[] = [];
  const definitions: Record<string, DefinitionFacts> = {};
  for (const d of read) {
    if (!d) continue;
    models.push(d.model);
    definitions[d.model.name] = { filesChangedAt: d.filesChangedAt, hashes: null };
  }
  if (git.repo && 'error' in git) problems.push({ stack: '', reason: git.error });
  // A stack we could not read must not make its own containers look foreign.
  const failed = new Set(problems.map((p) => p.stack));
  const live = containers.filter((c) => !failed.has(c.project));

  const images = await inspectImages(opts.engine, imageRefs(models, live));
  const base = { stacks: models, containers: live, images, definitions, dialect };
  const localComposeVersion = await settleHashes(opts, base, env);
  const details = await inspectUnsettled(opts.inspector, { ...base, localComposeVersion });

  const input: DriftInput = {
    ...base,
    details,
    localComposeVersion,
    git: git.repo && 'byStack' in git ? git.byStack : null,
    requireDigests: opts.requireDigests ?? false,
    ...(opts.only === undefined ? {} : { only: opts.only }),
  };
  const findings = evaluateDrift(input);
  const stacks = selected.map((s) => ({
    name: s.name,
    clean: !failed.has(s.name) && isClean(findings.filter((f) => f.stack === s.name)),
  }));
  return { checkedAt, findings, stacks, problems };
}

type Base = Pick<DriftInput, 'stacks' | 'containers' | 'images' | 'definitions' | 'dialect'>;

/** Up containers of declared services whose definition may have changed since they were made. */
function* containersToCheck(base: Base): Generator<{ stack: StackModel; c: ObservedContainer; image: string | null }> {
  for (const stack of base.stacks) {
    const def = base.definitions[stack.name];
    if (!def) continue;
    for (const svc of stack.services) {
      for (const c of base.containers) {
        if (c.project !== stack.name || c.service !== svc.name || !UP_STATES.has(c.state)) continue;
        if (needsDefinitionCheck(c, stack, def)) yield { stack, c, image: svc.image };
      }
    }
  }
}

/** Asks compose for hashes only where a container's hash can be compared; returns the local version. */
async function settleHashes(opts: ProbeDriftOptions, base: Base, env: Record<string, string>): Promise<string | null> {
  const pending = [...containersToCheck(base)];
  if (pending.length === 0) return opts.composeVersion ?? null;
  const version = opts.composeVersion !== undefined ? opts.composeVersion : await readComposeVersion(opts.sys, opts.dialect, env);
  const names = new Set(
    pending
      .filter(({ c, image }) => isHashComparable(c, version, base.dialect, image === null ? undefined : base.images[image]))
      .map(({ stack }) => stack.name),
  );
  const facts = opts.stacks.filter((s) => names.has(s.name));
  await mapLimit(facts, COMPOSE_CONCURRENCY, async (s) => {
    const r = await readConfigHashes(opts.sys, opts.dialect, s, env);
    const def = base.definitions[s.name];
    if (!def) return;
    if ('hashes' in r) def.hashes = r.hashes;
    else def.hashError = r.error;
  });
  return version;
}

/** Inspections for containers a hash did not clear: to compare fields, or to name what changed. */
async function inspectUnsettled(inspector: ProbeDriftOptions['inspector'], base: Base & { localComposeVersion: string | null }): Promise<Record<string, ContainerDetail>> {
  const details: Record<string, ContainerDetail> = {};
  if (!inspector) return details;
  const ids = [...containersToCheck(base)]
    .filter(({ stack, c }) => {
      const svcHash = base.definitions[stack.name]?.hashes?.[c.service];
      return svcHash === undefined || svcHash !== c.configHash;
    })
    .map(({ c }) => c.id);
  await mapLimit([...new Set(ids)], 8, async (id) => {
    const d = await inspector.inspect(id);
    if (d) details[id] = d;
  });
  return details;
}

function imageRefs(models: readonly StackModel[], containers: readonly ComposeContainer[]): string[] {
  const refs = new Set<string>();
  for (const m of models) for (const s of m.services) if (s.image && !s.unresolved.includes('image')) refs.add(s.image);
  const known = new Set(models.map((m) => m.name));
  for (const c of containers) if (known.has(c.project) && c.image !== '' && !c.image.startsWith('sha256:')) refs.add(c.image);
  return [...refs];
}

/** One inspection per distinct ref; a ref the engine refuses (malformed) counts as absent. */
async function inspectImages(engine: ProbeDriftOptions['engine'], refs: string[]): Promise<Record<string, ImageFact | null>> {
  const images: Record<string, ImageFact | null> = {};
  await mapLimit(refs, 8, async (ref) => {
    try {
      const info = await engine.inspectImage(ref);
      images[ref] = info ? { id: info.id, repoDigests: info.repoDigests } : null;
    } catch (err) {
      if (isAppError(err) && /answered 400/.test(err.message)) images[ref] = null;
      else throw err;
    }
  });
  return images;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
