import { judgeImagePin } from '../policy/drift-image-ref.js';
import type { ReviewPolicyFile } from './review-policy-schema.js';
import { listSome } from './score-security.js';
import { serviceLabel, touchedServices } from './service-changes.js';
import type { CategoryEvidence, Issue, ReviewInput } from './types.js';

/** Manifest file name → lockfiles any one of which pins it (in the same folder). */
const LOCKFILES: Readonly<Record<string, readonly string[]>> = {
  'package.json': ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb'],
  'pyproject.toml': ['poetry.lock', 'uv.lock', 'pdm.lock', 'requirements.txt'],
  'Pipfile': ['Pipfile.lock'],
  'requirements.in': ['requirements.txt'],
  'go.mod': ['go.sum'],
  'Cargo.toml': ['Cargo.lock'],
  'Gemfile': ['Gemfile.lock'],
  'composer.json': ['composer.lock'],
};

export function scoreReproducibility(input: ReviewInput, policy: ReviewPolicyFile): CategoryEvidence {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const issue = (i: Omit<Issue, 'area'>) => issues.push({ area: 'reproducibility', ...i });
  const requireDigest = policy.guardrails.images.requireDigest;

  const services = touchedServices(input);
  const floating: string[] = [];
  const noDigest: string[] = [];
  let pinned = 0;
  for (const s of services) {
    const who = serviceLabel(s);
    if (s.head.image === null) {
      if (s.head.build) notes.push(`${who} is built from source; pin its base image in the Dockerfile`);
      continue;
    }
    if (s.head.imageResolved === null) {
      issue({ severity: 'med', penalty: 2, msg: `${who} takes its image from a variable with no default (${s.head.image}); the repository does not say what runs`, action: `write the pinned image for ${who} in compose.yaml, or give the variable a pinned default` });
      continue;
    }
    const verdict = judgeImagePin(s.head.imageResolved, requireDigest);
    if (verdict === null) pinned += 1;
    else if (verdict.severity === 'error') {
      issue({ severity: 'high', cap: 1, msg: `${who}: ${s.head.imageResolved} ${verdict.reason}; every pull may change what runs`, action: `pin ${who} to an exact version tag (better: tag@sha256 digest)` });
    } else if (verdict.severity === 'warning') floating.push(`${who} (${s.head.imageResolved})`);
    else noDigest.push(`${who} (${s.head.imageResolved})`);
  }
  if (floating.length > 0) {
    issue({ severity: 'med', penalty: 2, msg: `floating tag(s): ${listSome(floating)}`, action: 'pin floating tags to an exact version' });
  }
  if (noDigest.length > 0) {
    issue({ severity: 'low', penalty: 1, msg: `not pinned by digest (policy requires @sha256): ${listSome(noDigest)}`, action: 'add the @sha256 digest to each image' });
  }
  if (pinned > 0) notes.push(`${pinned} changed image(s) pinned to an exact version${requireDigest ? ' and digest' : ''}`);

  const changed = new Set(input.files.map((f) => f.path));
  const present = new Set(input.headPaths);
  for (const f of input.files) {
    if (f.status === 'deleted') continue;
    const slash = f.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : f.path.slice(0, slash + 1);
    const locks = LOCKFILES[f.path.slice(slash + 1)];
    if (!locks) continue;
    const lockPaths = locks.map((l) => dir + l);
    if (!lockPaths.some((l) => present.has(l))) {
      issue({ severity: 'med', penalty: 2, msg: `${f.path} changed but no lockfile (${locks.join(', ')}) sits beside it`, action: `commit a lockfile for ${f.path}` });
    } else if (!lockPaths.some((l) => changed.has(l))) {
      issue({ severity: 'low', penalty: 1, msg: `${f.path} changed but its lockfile did not; regenerate it so the pins match` });
    } else {
      notes.push(`${f.path} changed together with its lockfile`);
    }
  }
  return { issues, notes };
}
