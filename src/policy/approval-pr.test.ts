import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluatePrGate, findEffectiveLabel, latestReviewStates, type LabelEvent, type PrEvidence, type Review } from './approval-pr.js';
import { PrGate, type PrGateInput } from '../config/approval-schema.js';

const T = (min: number) => Date.UTC(2025, 0, 1, 12, min);

function gate(over: Partial<PrGateInput> = {}): PrGate {
  return PrGate.parse({ provider: 'github', label: 'approved', labelBy: { users: ['alice'], teams: ['org/ops'] }, ...over });
}

function evidence(over: Partial<PrEvidence> = {}, pr: Partial<PrEvidence['pr']> = {}): PrEvidence {
  return {
    pr: { number: 12, state: 'closed', merged: true, author: 'bob', headSha: 'abc1234def', lastPushAt: T(0), ...pr },
    labelEvents: [{ label: 'approved', actor: 'alice', at: T(10), action: 'added' }],
    reviews: [{ user: 'carol', state: 'APPROVED', at: T(5), commitId: 'abc1234def' }],
    ...over,
  };
}

const reasonOf = (g: PrGate, ev: PrEvidence) => {
  const d = evaluatePrGate(g, ev);
  return d.ok ? 'OK' : d.reason;
};

describe('evaluatePrGate', () => {
  it('allows a merged PR labelled by an approver after the last push, with an approving review', () => {
    const d = evaluatePrGate(gate(), evidence());
    expect(d).toEqual({
      ok: true,
      evidence: {
        number: 12, state: 'merged', headSha: 'abc1234def', label: 'approved', labelledBy: 'alice',
        labelledAt: '2025-01-01T12:10:00.000Z', lastPushAt: '2025-01-01T12:00:00.000Z', approvedBy: ['carol'],
      },
    });
  });

  it('names the approvers when the label was added by someone else', () => {
    const ev = evidence({ labelEvents: [{ label: 'approved', actor: 'mallory', at: T(10), action: 'added' }] });
    expect(reasonOf(gate(), ev)).toBe('label `approved` was added by @mallory, who is not in approvers (users: alice; teams: org/ops); ask an approver to re-apply it');
  });

  it('accepts a label applied by a member of an approver team', () => {
    const ev = evidence({ labelEvents: [{ label: 'approved', actor: 'dave', at: T(10), action: 'added' }], teamMembers: { 'org/ops': ['Dave'] } });
    expect(evaluatePrGate(gate(), ev).ok).toBe(true);
    expect(reasonOf(gate(), { ...ev, teamMembers: { 'org/other': ['dave'] } })).toMatch(/@dave, who is not in approvers/);
  });

  it('refuses a label added before (or in the same second as) the last push', () => {
    expect(reasonOf(gate(), evidence({}, { lastPushAt: T(20) })))
      .toBe('label `approved` was added at 2025-01-01T12:10:00.000Z, before the last push at 2025-01-01T12:20:00.000Z; re-apply it');
    expect(reasonOf(gate(), evidence({}, { lastPushAt: T(10) }))).toMatch(/before the last push/);
  });

  it('refuses when the push time is unknown', () => {
    expect(reasonOf(gate(), evidence({}, { lastPushAt: null }))).toMatch(/could not tell when PR #12 was last pushed/);
  });

  it('treats a label removed after being added as absent, and says who removed it', () => {
    const events: LabelEvent[] = [
      { label: 'approved', actor: 'alice', at: T(10), action: 'added' },
      { label: 'approved', actor: 'bob', at: T(11), action: 'removed' },
    ];
    expect(reasonOf(gate(), evidence({ labelEvents: events })))
      .toBe('label `approved` was removed from PR #12 by @bob at 2025-01-01T12:11:00.000Z; an approver must re-apply it');
    // Re-applied later by an approver: present again, and that later event is the one judged.
    const again = [...events, { label: 'approved', actor: 'alice', at: T(12), action: 'added' as const }];
    expect(evaluatePrGate(gate(), evidence({ labelEvents: again })).ok).toBe(true);
  });

  it('says the label is missing when it was never applied, ignoring other labels', () => {
    const ev = evidence({ labelEvents: [{ label: 'lgtm', actor: 'alice', at: T(10), action: 'added' }] });
    expect(reasonOf(gate(), ev)).toBe('label `approved` is not on PR #12; ask an approver to apply it');
  });

  it('refuses a PR closed without merging under every state setting', () => {
    for (const state of ['open', 'merged', 'any'] as const) {
      expect(reasonOf(gate({ state }), evidence({}, { state: 'closed', merged: false }))).toBe('PR #12 is closed and not merged');
    }
  });

  it('applies the state setting to open and merged PRs', () => {
    const open = evidence({}, { state: 'open', merged: false });
    expect(reasonOf(gate(), open)).toBe('PR #12 is open; this approval counts only once it is merged');
    expect(reasonOf(gate({ state: 'open' }), open)).toBe('OK');
    expect(reasonOf(gate({ state: 'open' }), evidence())).toBe('PR #12 is already merged; this approval needs an open PR');
    expect(reasonOf(gate({ state: 'any' }), open)).toBe('OK');
  });

  it('does not count reviews by the author', () => {
    const ev = evidence({ reviews: [{ user: 'Bob', state: 'APPROVED', at: T(5), commitId: null }] });
    expect(reasonOf(gate(), ev)).toBe('PR #12 needs 1 approving review(s) from someone other than the author @bob; has 0 (reviews by the author do not count)');
    expect(reasonOf(gate({ minApprovals: 0 }), ev)).toBe('OK');
  });

  it('lets a later CHANGES_REQUESTED or DISMISSED cancel an APPROVED, but not a later comment', () => {
    const approve: Review = { user: 'carol', state: 'APPROVED', at: T(5), commitId: null };
    expect(reasonOf(gate(), evidence({ reviews: [approve, { ...approve, state: 'CHANGES_REQUESTED', at: T(6) }] })))
      .toBe('PR #12 has changes requested by @carol; resolve them and get a new approval');
    expect(reasonOf(gate(), evidence({ reviews: [approve, { ...approve, state: 'DISMISSED', at: T(6) }] }))).toMatch(/has 0/);
    expect(reasonOf(gate(), evidence({ reviews: [approve, { ...approve, state: 'COMMENTED', at: T(6) }] }))).toBe('OK');
    // Order comes from the timestamps, not from the array.
    expect(reasonOf(gate(), evidence({ reviews: [{ ...approve, state: 'CHANGES_REQUESTED', at: T(4) }, approve] }))).toBe('OK');
  });

  it('with requireHeadSha counts only approvals on the head commit', () => {
    const ev = evidence({ reviews: [{ user: 'carol', state: 'APPROVED', at: T(5), commitId: 'old0000' }] });
    expect(reasonOf(gate({ requireHeadSha: true }), ev))
      .toBe('PR #12 needs 1 approving review(s) on the head commit abc1234def from someone other than the author @bob; has 0 (reviews by the author do not count; 1 approval(s) are on older commits)');
    expect(reasonOf(gate(), ev)).toBe('OK');
  });

  it('refuses the author labelling their own PR unless allowed', () => {
    const g = gate({ labelBy: { users: ['bob'] } });
    const ev = evidence({ labelEvents: [{ label: 'approved', actor: 'bob', at: T(10), action: 'added' }] });
    expect(reasonOf(g, ev)).toBe('label `approved` was added by @bob, the author of PR #12; another approver must apply it');
    expect(reasonOf(PrGate.parse({ ...g, allowAuthorLabel: true }), ev)).toBe('OK');
  });

  it('needs minApprovals distinct reviewers', () => {
    const reviews: Review[] = [
      { user: 'carol', state: 'APPROVED', at: T(5), commitId: null },
      { user: 'carol', state: 'APPROVED', at: T(6), commitId: null },
    ];
    expect(reasonOf(gate({ minApprovals: 2 }), evidence({ reviews }))).toMatch(/needs 2 approving review\(s\).*has 1/);
    const two = [...reviews, { user: 'dave', state: 'APPROVED' as const, at: T(7), commitId: null }];
    expect(reasonOf(gate({ minApprovals: 2 }), evidence({ reviews: two }))).toBe('OK');
  });
});

describe('findEffectiveLabel / latestReviewStates (properties)', () => {
  const eventArb = fc.record({
    label: fc.constantFrom('approved', 'Approved', 'other'),
    actor: fc.constantFrom('alice', 'bob'),
    at: fc.integer({ min: 0, max: 100 }),
    action: fc.constantFrom('added' as const, 'removed' as const),
  });

  it('the label is present exactly when its chronologically last event is an addition', () => {
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 20 }), (events) => {
      const mine = events.map((e, i) => ({ e, i })).filter(({ e }) => e.label.toLowerCase() === 'approved')
        .sort((a, b) => a.e.at - b.e.at || a.i - b.i);
      const last = mine[mine.length - 1]?.e;
      const found = findEffectiveLabel(events, 'approved');
      expect(found).toBe(last?.action === 'added' ? last : undefined);
    }));
  });

  it('keeps one state per reviewer, never COMMENTED or PENDING', () => {
    const reviewArb = fc.record({
      user: fc.constantFrom('carol', 'Carol', 'dave'),
      state: fc.constantFrom('APPROVED' as const, 'CHANGES_REQUESTED' as const, 'COMMENTED' as const, 'DISMISSED' as const, 'PENDING' as const),
      at: fc.integer({ min: 0, max: 100 }),
      commitId: fc.constant(null),
    });
    fc.assert(fc.property(fc.array(reviewArb, { maxLength: 20 }), (reviews) => {
      const latest = latestReviewStates(reviews);
      expect([...latest.keys()].every((k) => k === k.toLowerCase())).toBe(true);
      for (const r of latest.values()) expect(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']).toContain(r.state);
      expect(latest.size).toBeLessThanOrEqual(2);
    }));
  });
});

describe('PrGate schema', () => {
  it('fills defaults and refuses a gate nobody can satisfy', () => {
    const g = PrGate.parse({ provider: 'gitea', label: 'ok', labelBy: { users: ['a'] } });
    expect(g).toMatchObject({ minApprovals: 1, state: 'merged', requireHeadSha: false, allowAuthorLabel: false, labelBy: { teams: [] } });
    expect(PrGate.safeParse({ provider: 'github', label: 'ok', labelBy: {} }).success).toBe(false);
    expect(PrGate.safeParse({ provider: 'github', label: 'ok', labelBy: { users: ['a'] }, repo: 'not a repo' }).success).toBe(false);
    expect(PrGate.safeParse({ provider: 'gitlab', label: 'ok', labelBy: { users: ['a'] } }).success).toBe(false);
  });
});
