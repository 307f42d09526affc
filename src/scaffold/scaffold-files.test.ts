import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Config } from '../config/schema.js';
import { Intent } from '../intent/schema.js';
import { authorize } from '../policy/rbac.js';
import { listScaffoldFiles } from './scaffold-files.js';
import { APPROVALS_EXAMPLE, commentOut, NOTIFY_EXAMPLE, ORESI_YAML, PRINCIPALS_EXAMPLE, WEBHOOKS_EXAMPLE } from './templates/config.js';

type Raw = Record<string, unknown>;
const asRaw = (text: string): Raw => parse(text) as Raw;

/** The generated oresi.yaml with every commented-out example switched on, as a user would. */
function uncommentedConfig(): Raw {
  const base = asRaw(ORESI_YAML);
  const principals = PRINCIPALS_EXAMPLE.replace('<64 hex characters from oresi keys new>', 'ab'.repeat(32));
  return {
    ...base,
    approvals: { ...(base.approvals as Raw), ...asRaw(APPROVALS_EXAMPLE) },
    ...asRaw(WEBHOOKS_EXAMPLE),
    ...asRaw(NOTIFY_EXAMPLE),
    ...asRaw(principals),
  };
}

function scaffoldIntents(): Intent[] {
  return listScaffoldFiles('0.0.0')
    .filter((f) => f.path.startsWith('intents/'))
    .map((f) => Intent.parse(parse(f.content)));
}

describe('oresi init templates', () => {
  it('lists each file once and stamps the version into the workflows', () => {
    const files = listScaffoldFiles('9.8.7');
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    expect(files.some((f) => f.content.includes('__ORESI_VERSION__'))).toBe(false);
    expect(files.find((f) => f.path === '.github/workflows/oresi.yml')?.content).toContain('ORESI: oresi@9.8.7');
  });

  it('writes an oresi.yaml that validates with the GitOps gate on and the secret-bearing sections commented out', () => {
    const parsed = Config.safeParse(asRaw(ORESI_YAML));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const config = Config.parse(asRaw(ORESI_YAML));
    expect(config.gitops).toMatchObject({ branch: 'main', fetchFirst: true });
    expect(config.approvals.unverifiedLabels).toBe('refuse');
    expect(config.webhooks.github).toBeUndefined();
    expect(config.notify.sinks).toEqual({});
    expect(config.principals).toEqual([]);
  });

  it('carries every example verbatim, commented out at the indentation where it belongs', () => {
    expect(ORESI_YAML).toContain(`${commentOut(APPROVALS_EXAMPLE, 2)}\n`);
    for (const block of [WEBHOOKS_EXAMPLE, NOTIFY_EXAMPLE, PRINCIPALS_EXAMPLE]) expect(ORESI_YAML).toContain(`\n${commentOut(block)}\n`);
  });

  it('validates once the examples are uncommented: PR gate, webhook, alerts, a principal', () => {
    const parsed = Config.safeParse(uncommentedConfig());
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const config = Config.parse(uncommentedConfig());
    expect(config.approvals.defaultPr).toMatchObject({ provider: 'github', minApprovals: 1, state: 'merged' });
    expect(config.approvals.github?.repo).toBe(config.webhooks.github?.repo);
    expect(config.notify.routes[0]?.events).toEqual(expect.arrayContaining(['run.failed', 'run.rolled_back']));
  });

  it('gives the webhook a role that may run exactly the intents it requests, and no other scaffold intent', () => {
    const config = Config.parse(uncommentedConfig());
    const hook = config.webhooks.github;
    const role = hook ? config.roles[hook.role] : undefined;
    expect(hook && role).toBeTruthy();
    if (!hook || !role) return;
    const roles = [{ name: hook.role, role }];
    for (const intent of scaffoldIntents()) {
      const decision = authorize(roles, { mode: 'run', intent: intent.name, stack: 'hello', actions: intent.steps.map((s) => s.action) });
      expect({ intent: intent.name, allowed: decision.allowed }).toEqual({ intent: intent.name, allowed: hook.intents.includes(intent.name) });
    }
  });

  it('commentOut turns a block into comment lines, keeping blank lines bare', () => {
    expect(commentOut('a:\n  b: 1\n\nc: 2\n', 2)).toBe('  # a:\n  #   b: 1\n  #\n  # c: 2');
  });

  it('ships a rollout intent that is health-checked and pulls once (the rollout step pulls itself)', () => {
    const rollout = scaffoldIntents().find((i) => i.name === 'hello-rollout');
    expect(rollout?.steps.map((s) => s.action)).toEqual(['rollout', 'status']);
    expect(rollout?.approval).toBeUndefined();
  });

  it('describes rollback by rollout id and the webhook sync, without "not built" caveats', () => {
    const release = listScaffoldFiles('0.0.0').find((f) => f.path === 'RELEASE_PROCESS.md')?.content ?? '';
    expect(release).toContain('oresi rollback <stack> --to <rollout-id>');
    expect(release).toContain('/v1/hooks/github');
    expect(release).toContain('git pull --ff-only');
    expect(release).not.toMatch(/once it exists|not built|no webhook endpoint/i);
  });
});
