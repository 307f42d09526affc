/**
 * A real git setup for webhook tests: a bare "origin", the stacks root as its clone (what the
 * webhook fast-forwards), and a second clone standing in for a developer who pushes.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const IDENTITY = ['-c', 'user.name=oresi test', '-c', 'user.email=test@oresi.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main'];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' } }).trim();
}

export interface GitBed {
  origin: string;
  /** The developer's clone. */
  dev: string;
}

/** Turns an existing stacks root into a clone of a new bare origin on branch main. */
export function makeGitBed(root: string, stacksRoot: string): GitBed {
  const origin = join(root, 'origin.git');
  const dev = join(root, 'dev');
  git(root, 'init', '--quiet', '--bare', '-b', 'main', origin);
  git(stacksRoot, 'init', '--quiet', '-b', 'main');
  git(stacksRoot, 'add', '-A');
  git(stacksRoot, 'commit', '--quiet', '-m', 'initial stacks');
  git(stacksRoot, 'remote', 'add', 'origin', origin);
  git(stacksRoot, 'push', '--quiet', '-u', 'origin', 'main');
  git(root, 'clone', '--quiet', origin, dev);
  return { origin, dev };
}

/** Commits a file change in the dev clone and pushes it; returns the new commit id. */
export async function pushChange(dev: string, file: string, content: string, branch = 'main'): Promise<string> {
  const current = git(dev, 'rev-parse', '--abbrev-ref', 'HEAD');
  if (current !== branch) git(dev, 'checkout', '--quiet', '-B', branch);
  await writeFile(join(dev, file), content);
  git(dev, 'add', '-A');
  git(dev, 'commit', '--quiet', '-m', `change ${file}`);
  git(dev, 'push', '--quiet', 'origin', branch);
  return git(dev, 'rev-parse', 'HEAD');
}

export function pushPayload(repo: string, ref: string, after: string): string {
  return JSON.stringify({ ref, before: '0'.repeat(40), after, repository: { full_name: repo }, head_commit: { message: 'rm -rf / # would never run' } });
}

export function githubHeaders(secret: string, body: string, delivery: string, event = 'push'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

export function giteaHeaders(secret: string, body: string, delivery: string, event = 'push'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-gitea-event': event,
    'x-gitea-delivery': delivery,
    'x-gitea-signature': createHmac('sha256', secret).update(body).digest('hex'),
  };
}
