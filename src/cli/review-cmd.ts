import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { checkChange } from '../commands/check.js';
import { scaffoldRepository } from '../commands/init.js';
import { reviewChange } from '../commands/review.js';
import { renderReviewMarkdown } from '../review/render-markdown.js';
import type { ModelEndpoint } from '../review/model-review.js';
import { createRealSys } from '../sys/real.js';
import { VERSION } from '../version.js';
import { CliExit, EXIT_BAD, EXIT_USAGE } from './exit.js';
import { printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';

interface ChangeFlags {
  base: string;
  head: string;
  repo?: string;
  policy?: string;
}

interface ReviewFlags extends ChangeFlags {
  prBody?: string;
  format: 'md' | 'json';
  modelUrl?: string;
  model?: string;
}

const PR_BODY_MAX_BYTES = 1024 * 1024;

/** `review`, `check` and `init`: the PR tooling for the GitOps repository. */
export function registerReviewCommands(program: Command, io: CliIo): void {
  const changeOptions = (cmd: Command): Command => cmd
    .requiredOption('--base <ref>', 'the branch or commit the change goes into (e.g. origin/main)')
    .option('--head <ref>', 'the change itself', 'HEAD')
    .option('--repo <dir>', 'the repository (default: the current directory)')
    .option('--policy <file>', 'a policy file to use instead of policy.yaml at the base commit');

  changeOptions(program.command('review'))
    .description('score a change against the review rubric; exit 0 pass, 1 blocked, 2 error')
    .option('--pr-body <file>', 'the PR description (for rollback, backup and monitoring notes); - reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--model-url <url>', 'OpenAI-compatible endpoint for a second opinion (key in $ORESI_REVIEW_API_KEY)')
    .option('--model <name>', 'the model to ask (with --model-url)')
    .action(async (flags: ReviewFlags, cmd: Command) => {
      const sys = createRealSys(io.env);
      const outcome = await reviewChange({
        sys,
        repo: repoDir(io, flags),
        base: flags.base,
        head: flags.head,
        prBody: flags.prBody === undefined ? null : await readPrBody(io, sys, flags.prBody),
        policyFile: flags.policy,
        model: modelEndpoint(io, flags),
      });
      if (globalOptions(cmd).json || flags.format === 'json') {
        printJson(io, outcome.report);
      } else {
        io.stdout(renderReviewMarkdown(outcome.report, { base: outcome.base, head: outcome.head, ...(flags.model ? { model: flags.model } : {}) }));
      }
      if (outcome.report.block) throw new CliExit(EXIT_BAD);
    });

  changeOptions(program.command('check'))
    .description('the guardrails as a gate: doc updates, no env files or secrets, valid intents and compose, pinned images')
    .action(async (flags: ChangeFlags, cmd: Command) => {
      const outcome = await checkChange({ sys: createRealSys(io.env), repo: repoDir(io, flags), base: flags.base, head: flags.head, policyFile: flags.policy });
      if (globalOptions(cmd).json) {
        printJson(io, outcome);
      } else {
        printLines(io, outcome.findings.map((f) => `${f.severity === 'error' ? '✗' : '!'} [${f.rule}] ${f.msg}`));
        const c = outcome.checked;
        io.stdout(`${outcome.ok ? 'check passed' : 'check FAILED'}: ${c.files} changed file(s), ${c.composeFiles} compose file(s), ${c.intents} intent(s), ${c.docRules} doc rule(s); policy: ${outcome.policySource}\n`);
      }
      if (!outcome.ok) throw new CliExit(EXIT_BAD);
    });

  program.command('init [dir]')
    .description('scaffold a GitOps repository: an example stack, intents, oresi.yaml, policy.yaml, CI workflows, PR template, policies')
    .option('--force', 'overwrite files that already exist')
    .action(async (dir: string | undefined, flags: { force?: boolean }, cmd: Command) => {
      const outcome = await scaffoldRepository({ fs: createRealSys(io.env).fs, dir: resolve(io.cwd, dir ?? '.'), force: flags.force === true, version: VERSION });
      if (globalOptions(cmd).json) printJson(io, outcome);
      if (!outcome.ok) {
        if (!globalOptions(cmd).json) io.stderr(`oresi init: refusing to overwrite existing files in ${outcome.dir} (use --force):\n${outcome.existing.map((p) => `  ${p}`).join('\n')}\n`);
        throw new CliExit(EXIT_USAGE);
      }
      if (!globalOptions(cmd).json) {
        printLines(io, outcome.written.map((p) => `${outcome.overwritten.includes(p) ? 'overwrote' : 'wrote'} ${p}`));
        io.stdout(`next: cd ${outcome.dir} && git init && oresi intents validate --config oresi.yaml\n`);
      }
    });
}

function repoDir(io: CliIo, flags: { repo?: string }): string {
  return resolve(io.cwd, flags.repo ?? '.');
}

async function readPrBody(io: CliIo, sys: ReturnType<typeof createRealSys>, file: string): Promise<string> {
  let text = '';
  if (file === '-') {
    for await (const chunk of io.stdin as AsyncIterable<string | Buffer>) {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (text.length > PR_BODY_MAX_BYTES) break;
    }
  } else {
    const path = resolve(io.cwd, file);
    try {
      text = await sys.fs.readFile(path, 'utf8');
    } catch (err) {
      throw new CliExit(EXIT_USAGE, `oresi review: cannot read --pr-body ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return text.slice(0, PR_BODY_MAX_BYTES);
}

function modelEndpoint(io: CliIo, flags: ReviewFlags): ModelEndpoint | undefined {
  if (flags.modelUrl === undefined && flags.model === undefined) return undefined;
  if (flags.modelUrl === undefined || flags.model === undefined) throw new CliExit(EXIT_USAGE, 'oresi review: --model-url and --model go together');
  return { url: flags.modelUrl, model: flags.model, apiKey: io.env.ORESI_REVIEW_API_KEY };
}
