import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewReport } from '../../src/review/types.js';
import { cli as oresi } from '../helpers/cli.js';
import { createFixtureRepo, type FileEdits, type FixtureRepo } from '../fixtures/review/git-repo.js';
import { BASE_FILES, ENV_SECRET, INLINE_TOKEN, SCENARIOS } from '../fixtures/review/scenarios.js';

/** A stand-in for an OpenAI-compatible server: answers what the test sets, records what it got. */
interface Received { path: string; authorization: string | undefined; body: string }
let server: Server;
let url: string;
let answer: { status: number; content: string } = { status: 200, content: '{}' };
const received: Received[] = [];
const repos: FixtureRepo[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer.content } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const r of repos) r.cleanup();
  await new Promise((resolve) => server.close(resolve));
});

async function review(scenario: { edits: FileEdits; prBody: string | null }, withModel: boolean): Promise<{ code: number; report: ReviewReport }> {
  const repo = createFixtureRepo(BASE_FILES, scenario.edits);
  repos.push(repo);
  const body = join(repo.dir, '.git', 'pr-body.md');
  writeFileSync(body, scenario.prBody ?? '');
  const model = withModel ? ['--model-url', url, '--model', 'stand-in'] : [];
  const out = await oresi(['review', '--base', 'main', '--repo', repo.dir, '--pr-body', body, '--format', 'json', ...model], {
    env: { ORESI_REVIEW_API_KEY: 'test-review-key-123' },
  });
  expect(out.stderr).toBe('');
  return { code: out.code, report: JSON.parse(out.stdout) as ReviewReport };
}

const scoresOf = (r: ReviewReport) => Object.fromEntries(Object.entries(r.categories).map(([k, v]) => [k, v.score]));

describe('second opinion from a chat-completions endpoint', () => {
  it('ignores an answer that is not JSON, with a finding, and keeps the verdict', async () => {
    answer = { status: 200, content: 'Looks good to me!' };
    const without = await review(SCENARIOS.cleanBump, false);
    const withModel = await review(SCENARIOS.cleanBump, true);
    expect(withModel.code).toBe(0);
    expect(withModel.report.score).toBe(without.report.score);
    expect(scoresOf(withModel.report)).toEqual(scoresOf(without.report));
    expect(withModel.report.findings).toEqual([{ severity: 'low', area: 'model', msg: "model answer ignored: the model's answer is not JSON" }]);
  });

  it('ignores JSON that breaks the contract and an HTTP error', async () => {
    answer = { status: 200, content: '{"findings":[{"severity":"critical","area":"security","msg":"x"}]}' };
    const contract = await review(SCENARIOS.cleanBump, true);
    expect(contract.report.findings[0]?.msg).toMatch(/^model answer ignored: the model's answer does not match the contract \(findings\.0\.severity/);
    answer = { status: 500, content: '' };
    const http = await review(SCENARIOS.cleanBump, true);
    expect(http.report.findings[0]?.msg).toBe('model answer ignored: HTTP 500 from the model endpoint');
    expect(http.code).toBe(0);
  });

  it('never raises a score and never unblocks', async () => {
    const all5 = Object.fromEntries(['security', 'reproducibility', 'observability', 'backup_dr', 'networking', 'data_safety', 'rollback', 'docs_parity']
      .map((c) => [c, { score: 5, reasons: ['all fine'] }]));
    answer = { status: 200, content: '```json\n' + JSON.stringify({ findings: [], categories: all5 }) + '\n```' };
    const without = await review(SCENARIOS.latest, false);
    const withModel = await review(SCENARIOS.latest, true);
    expect(withModel.code).toBe(1);
    expect(withModel.report.block).toBe(true);
    expect(withModel.report.categories.reproducibility.score).toBe(1);
    expect(withModel.report.score).toBe(without.report.score);
  });

  it('lowers a category, adds its findings, and can block on its own', async () => {
    answer = {
      status: 200,
      content: JSON.stringify({
        findings: [{ severity: 'high', area: 'networking', msg: 'port 8096 is reachable from the guest VLAN' }],
        categories: { networking: { score: 1, reasons: ['guest VLAN exposure'] } },
      }),
    };
    const r = await review(SCENARIOS.cleanBump, true);
    expect(r.code).toBe(1);
    expect(r.report.block).toBe(true);
    expect(r.report.categories.networking.score).toBe(1);
    expect(r.report.categories.networking.reasons[0]).toBe('model lowered 5→1: guest VLAN exposure');
    expect(r.report.score).toBe(90);
    expect(r.report.findings).toContainEqual({ severity: 'high', area: 'networking', msg: 'model: port 8096 is reachable from the guest VLAN' });
    expect(r.report.required_actions).toContain('model: port 8096 is reachable from the guest VLAN');
  });

  it('sends the redacted diff and contract, and no secret from the repository', async () => {
    answer = { status: 200, content: '{"findings":[]}' };
    received.length = 0;
    await review(SCENARIOS.envCommitted, true);
    expect(received).toHaveLength(1);
    const sent = received[0] as Received;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.authorization).toBe('Bearer test-review-key-123');
    const body = JSON.parse(sent.body) as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('stand-in');
    expect(body.messages[0]?.content).toContain('"findings":[{"severity":"high|med|low"');
    const user = body.messages[1]?.content ?? '';
    expect(user).toContain('stacks/media/compose.yaml');
    expect(user).toContain('(env file contents omitted)');
    expect(user).toContain('***REDACTED***');
    expect(sent.body).not.toContain(ENV_SECRET);
    expect(sent.body).not.toContain(INLINE_TOKEN);
    expect(sent.body).not.toContain('test-review-key-123');
  });
});
