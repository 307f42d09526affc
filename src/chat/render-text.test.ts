import { describe, expect, it } from 'vitest';
import type { RunView } from '../model.js';
import { discordMessage } from './discord-render.js';
import { DISCORD_MARKUP, finishText, renderDryRun, renderRun, SLACK_MARKUP } from './render-text.js';
import { slackMessage } from './slack-render.js';

const run = (over: Partial<RunView> = {}): RunView => ({
  id: 'r-1', intent: 'up', stack: 'media', state: 'succeeded', requestedBy: 'alice', source: 'chat', reason: null, params: {}, planHash: 'h',
  steps: [{ index: 1, intent: 'up', stack: 'media', action: 'up', argv: ['docker'], description: 'up media', outcome: 'succeeded', exitCode: 0, durationMs: 12, stdout: 'line1\n```\nbreakout', stderr: '', truncated: false }],
  createdAt: 't', updatedAt: 't', finishedAt: 't', ...over,
});

const redactSecret = (t: string) => t.replaceAll('hunter2', '[REDACTED]');

describe('rendering', () => {
  it('shows state, steps and output without letting output close the code block', () => {
    const text = renderRun(run(), DISCORD_MARKUP);
    expect(text).toContain('**succeeded**');
    expect(text).toContain('1. up media: succeeded (exit 0) in 12 ms');
    expect(text.match(/```/g)).toHaveLength(2);
  });

  it('every platform message passes the redactor', () => {
    const result = { kind: 'run' as const, verb: 'status' as const, run: run({ reason: 'token hunter2', steps: [] }) };
    expect(discordMessage(result, redactSecret).content).not.toContain('hunter2');
    const slack = slackMessage(result, redactSecret, 'in_channel');
    expect(JSON.stringify(slack)).not.toContain('hunter2');
    expect(slack.text).toContain('[REDACTED]');
  });

  it('adds Approve / Deny only while the run waits for approval', () => {
    const pending = { kind: 'run' as const, verb: 'run' as const, run: run({ state: 'pending_approval', steps: [] }) };
    const ids = (discordMessage(pending, (t) => t).components?.[0] as { components: Array<{ custom_id: string }> }).components.map((c) => c.custom_id);
    expect(ids).toEqual(['oresi:approve:r-1', 'oresi:deny:r-1']);
    expect(slackMessage(pending, (t) => t, 'in_channel').blocks).toHaveLength(2);
    const done = { kind: 'run' as const, verb: 'run' as const, run: run() };
    expect(discordMessage(done, (t) => t).components).toEqual([]);
  });

  it('cuts to the platform limit after redacting, closing an open code block', () => {
    const long = 'x'.repeat(100) + '\n```\n' + 'hunter2 '.repeat(1000);
    for (const m of [DISCORD_MARKUP, SLACK_MARKUP]) {
      const out = finishText(long, m, redactSecret);
      expect(out.length).toBeLessThanOrEqual(m.maxLength);
      expect(out).not.toContain('hunter2');
      expect((out.match(/```/g) ?? []).length % 2).toBe(0);
      expect(out).toMatch(/cut; see the run/);
    }
  });
});

describe('rendering a rollout dry run', () => {
  it('lists which services would move and the commands, inside one code block', () => {
    const text = renderDryRun({
      dryRun: true, rolloutId: 'x1', stack: 'media',
      changes: [
        { service: 'web', imageRef: 'nginx:1.27', currentImageId: 'sha256:aaaaaaaaaaaaffff', localImageId: 'sha256:bbbbbbbbbbbbffff', wouldChange: true, wouldPull: true },
        { service: 'db', imageRef: 'postgres:16', currentImageId: 'sha256:cccccccccccc', localImageId: 'sha256:cccccccccccc', wouldChange: false, wouldPull: false },
      ],
      steps: [{ phase: 'up', description: 'up', argv: ['docker', 'compose', 'up', '-d'] }],
    }, SLACK_MARKUP);
    expect(text).toContain('*nothing ran*');
    expect(text).toContain('web: nginx:1.27: would move aaaaaaaaaaaa → bbbbbbbbbbbb, pulls first (may move further)');
    expect(text).toContain('db: postgres:16: no local change');
    expect(text).toContain('$ docker compose up -d');
    expect(text.match(/```/g)).toHaveLength(2);
  });
});
