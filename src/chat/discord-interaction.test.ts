import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDiscordCommand, MAX_CHOICES } from './discord-commands.js';
import { buttonId, commandFromButton, commandFromInteraction, Interaction, interactionUser } from './discord-interaction.js';

const data = (sub: string, options: Record<string, string> = {}) => ({
  name: 'oresi',
  options: [{ name: sub, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })) }],
});

describe('commandFromInteraction', () => {
  it.each([
    [data('intents'), { verb: 'intents' }],
    [data('plan', { intent: 'up', params: 'a=1 b=2' }), { verb: 'plan', intent: 'up', params: { a: '1', b: '2' } }],
    [data('run', { intent: 'up', reason: 'why', pr: 'o/r#1' }), { verb: 'run', intent: 'up', params: {}, reason: 'why', pr: 'o/r#1' }],
    [data('approve', { run: 'abc-1', comment: 'ok' }), { verb: 'approve', runId: 'abc-1', comment: 'ok' }],
    [data('deny', { run: 'abc-1' }), { verb: 'deny', runId: 'abc-1' }],
    [data('cancel', { run: 'abc-1' }), { verb: 'cancel', runId: 'abc-1' }],
    [data('rollout', { stack: 'media' }), { verb: 'rollout', stack: 'media', pull: true, dryRun: false }],
    [data('rollback', { stack: 'media', to: '01j9-x' }), { verb: 'rollback', stack: 'media', to: '01j9-x' }],
  ])('%j', (d, expected) => {
    expect(commandFromInteraction(d)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [{ name: 'other' }, /unknown command/],
    [{ name: 'oresi' }, /subcommands/],
    [data('run'), /intent option/],
    [data('status', { run: 'a/b' }), /run id/],
    [data('destroy'), /unknown subcommand/],
    [data('rollout'), /stack name/],
    [data('rollout', { stack: '../etc' }), /stack name/],
    [data('rollback', { stack: 'media', to: 'A/B' }), /rollout id/],
  ])('refuses %j', (d, message) => {
    const r = commandFromInteraction(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('commandFromInteraction: rollout booleans', () => {
  const rollout = (flags: Record<string, boolean>) => ({
    name: 'oresi',
    options: [{ name: 'rollout', type: 1, options: [{ name: 'stack', type: 3, value: 'media' }, ...Object.entries(flags).map(([name, value]) => ({ name, type: 5, value }))] }],
  });
  it.each([
    [{}, { pull: true, dryRun: false }],
    [{ pull: false }, { pull: false, dryRun: false }],
    [{ pull: true, dry_run: true }, { pull: true, dryRun: true }],
    [{ dry_run: false }, { pull: true, dryRun: false }],
  ])('%j', (flags, expected) => {
    expect(commandFromInteraction(rollout(flags))).toEqual({ ok: true, value: { verb: 'rollout', stack: 'media', ...expected } });
  });
});

describe('buttons', () => {
  it('round-trips approve and deny ids', () => {
    expect(commandFromButton(buttonId('approve', 'r-1'))).toEqual({ ok: true, value: { verb: 'approve', runId: 'r-1' } });
    expect(commandFromButton(buttonId('deny', 'r-1'))).toEqual({ ok: true, value: { verb: 'deny', runId: 'r-1' } });
  });
  it('refuses anything else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (id) => {
      fc.pre(!/^oresi:(approve|deny):[A-Za-z0-9-]{1,64}$/.test(id));
      return !commandFromButton(id).ok;
    }));
    expect(commandFromButton('oresi:approve:x:y').ok).toBe(false);
  });
});

describe('Interaction', () => {
  it('takes the user from member in guilds and from user in DMs', () => {
    const guild = Interaction.parse({ id: '1', application_id: '2', type: 2, member: { user: { id: '3' }, roles: ['9'] }, extra: true });
    expect(interactionUser(guild)).toEqual({ id: '3', roles: ['9'] });
    const dm = Interaction.parse({ id: '1', application_id: '2', type: 2, user: { id: '4' } });
    expect(interactionUser(dm)).toEqual({ id: '4', roles: [] });
  });
});

describe('buildDiscordCommand', () => {
  it('offers intents as choices up to Discord\'s limit, then free text', () => {
    const few = buildDiscordCommand(['b', 'a']);
    const run = few.options.find((o) => o.name === 'run');
    expect(run?.options[0]).toMatchObject({ name: 'intent', required: true, choices: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }] });
    const many = buildDiscordCommand(Array.from({ length: MAX_CHOICES + 1 }, (_, i) => `i${i}`));
    expect(many.options.find((o) => o.name === 'run')?.options[0]).not.toHaveProperty('choices');
    expect(few.options.map((o) => o.name)).toEqual(['intents', 'plan', 'run', 'runs', 'status', 'approve', 'deny', 'cancel', 'rollout', 'rollback', 'help']);
    expect(few.options.find((o) => o.name === 'rollout')?.options.map((o) => [o.name, o.type])).toEqual([['stack', 3], ['pull', 5], ['dry_run', 5], ['reason', 3]]);
  });
  it('every subcommand it declares is one the parser understands', () => {
    for (const sub of buildDiscordCommand(['x']).options) {
      const opts = Object.fromEntries(sub.options.filter((o) => o.required).map((o) => [o.name, o.name === 'run' ? 'r1' : 'x']));
      expect(commandFromInteraction(data(sub.name, opts)).ok).toBe(true);
    }
  });
});

describe('parseSlackForm', () => {
  it('reads slash commands, button payloads, and answers anything else as other', async () => {
    const { parseSlackForm } = await import('./slack-payload.js');
    const form = (o: Record<string, string>) => Buffer.from(new URLSearchParams(o).toString());
    expect(parseSlackForm(form({ command: '/oresi', text: 'run up', user_id: 'U1', response_url: 'https://hooks.slack.com/x' }))).toMatchObject({ kind: 'command', body: { text: 'run up' } });
    const payload = { type: 'block_actions', user: { id: 'U1' }, response_url: 'https://hooks.slack.com/x', actions: [{ action_id: 'oresi:approve:r1' }] };
    expect(parseSlackForm(form({ payload: JSON.stringify(payload) }))).toMatchObject({ kind: 'actions', body: { user: { id: 'U1' } } });
    expect(parseSlackForm(form({ payload: '{"type":"view_submission"}' }))).toEqual({ kind: 'other', type: 'view_submission' });
    expect(parseSlackForm(form({ ssl_check: '1', token: 't' }))).toEqual({ kind: 'other', type: 'ssl_check' });
    expect(parseSlackForm(form({ payload: '{not json' }))).toBeUndefined();
    expect(parseSlackForm(form({ text: 'no user' }))).toBeUndefined();
  });
});
