import { checkIntentOnBranch, commitContains } from '../approval/gitops.js';
import { AppError } from '../errors.js';
import type { Approval, ChangeWindows, LoadedIntent } from '../intent/schema.js';
import type { PrGate } from '../config/approval-schema.js';
import { checkChangeWindows } from '../policy/windows.js';
import type { AppContext } from './types.js';
import type { Caller } from '../model.js';

/** What the gates decided, written into the run's `run.requested` audit record. */
export interface GateOutcome {
  /** Approvals from other principals still needed before the run may start. */
  quorum: number;
  breakGlass: boolean;
  evidence: Array<Record<string, unknown>>;
  notes: string[];
}

export interface GateRequest {
  pr?: string;
  breakGlass?: boolean;
}

function refuse(message: string): never {
  throw new AppError('E_APPROVAL_REQUIRED', `${message}; the run was not started`);
}

/** The intent and everything it depends on: each one's requirements apply. */
function involved(ctx: AppContext, li: LoadedIntent): LoadedIntent[] {
  return [...ctx.catalog.dependencyOrder(li.intent.name), li.intent.name]
    .map((name) => ctx.catalog.getIntent(name))
    .filter((x): x is LoadedIntent => x !== undefined);
}

function prGates(ctx: AppContext, name: string, approval: Approval | undefined, notes: string[]): PrGate[] {
  if (!approval) return [];
  if (approval.pr) return [approval.pr];
  if (!approval.label) return [];
  const base = ctx.config.approvals.defaultPr;
  if (base) return [{ ...base, label: approval.label }];
  if (ctx.config.approvals.unverifiedLabels !== 'allow') {
    refuse(`intent ${name} requires the PR label "${approval.label}", and no PR gate is configured to verify it (set approvals.defaultPr, or approval.pr on the intent)`);
  }
  notes.push(`label "${approval.label}" required by ${name} was NOT verified (approvals.unverifiedLabels: allow)`);
  return [];
}

/**
 * `requireHeadSha`: what would be deployed must contain the approved PR head — the GitOps
 * branch tip when that gate ran, else the checked-out commit of the stacks repository.
 */
async function requireDeployedHead(ctx: AppContext, li: LoadedIntent, headSha: string, out: GateOutcome): Promise<void> {
  const g = ctx.config.gitops;
  const tip = out.evidence.find((e) => e.gate === 'gitops' && e.intent === li.intent.name)?.commit;
  const repoDir = g ? (g.repoDir ?? ctx.config.intentsDir) : ctx.config.stacksRoot;
  const r = await commitContains({ sys: ctx.sys, repoDir, sha: headSha, commit: typeof tip === 'string' ? tip : 'HEAD' });
  if (!r.ok) refuse(`PR gate for ${li.intent.name}: ${r.reason}`);
  out.evidence.push({ gate: 'pr-head-deployed', intent: li.intent.name, headSha, commit: typeof tip === 'string' ? tip : 'HEAD' });
}

/**
 * Checks every gate an intent (and its dependencies) declares, in the order that fails
 * cheapest first: change windows, the GitOps branch, PR verification. Returns how many
 * approvals the run still needs. Refusals name the missing evidence.
 */
export async function checkGates(ctx: AppContext, caller: Caller, li: LoadedIntent, req: GateRequest): Promise<GateOutcome> {
  const cfg = ctx.config.approvals;
  const all = involved(ctx, li);
  const out: GateOutcome = { quorum: 0, breakGlass: req.breakGlass === true, evidence: [], notes: [] };

  const windows: ChangeWindows[] = [cfg.require?.windows, ...all.map((i) => i.intent.approval?.windows)].filter((w): w is ChangeWindows => w !== undefined);
  const decision = checkChangeWindows(windows, ctx.sys.now(), cfg.timeZone);
  if (!decision.open) {
    if (!out.breakGlass) refuse(`${decision.reason} (break-glass needs its own approval)`);
    out.notes.push(`BREAK-GLASS: ${decision.reason}`);
    out.evidence.push({ gate: 'window', breakGlass: true, reason: decision.reason });
  } else if (out.breakGlass) {
    out.notes.push('break-glass requested while the change window is open');
  }

  if (ctx.config.gitops) {
    const g = ctx.config.gitops;
    for (const i of all) {
      const r = await checkIntentOnBranch({ sys: ctx.sys, repoDir: g.repoDir ?? ctx.config.intentsDir, branch: g.branch, fetchFirst: g.fetchFirst, intentFile: i.file, intentSource: i.source, timeoutMs: g.timeoutMs });
      if (!r.ok) refuse(`GitOps gate: ${r.reason}`);
      out.evidence.push({ gate: 'gitops', intent: i.intent.name, branch: g.branch, commit: r.commit });
    }
  }

  for (const i of all) {
    for (const gate of prGates(ctx, i.intent.name, i.intent.approval, out.notes)) {
      if (!req.pr) refuse(`intent ${i.intent.name} needs an approved pull request (label "${gate.label}" on ${gate.repo ?? 'the configured repo'}); pass pr: owner/repo#123`);
      const v = await ctx.prVerifier.verify(gate, req.pr);
      if (!v.ok) refuse(`PR gate for ${i.intent.name}: ${v.reason}`);
      out.evidence.push({ gate: 'pr', intent: i.intent.name, ...v.evidence });
      if (gate.requireHeadSha) await requireDeployedHead(ctx, i, v.evidence.headSha, out);
    }
  }

  const roleQuorum = Math.max(0, ...caller.principal.roles.map((r) => r.quorum ?? 0));
  out.quorum = Math.max(cfg.require?.quorum ?? 0, roleQuorum, ...all.map((i) => i.intent.approval?.quorum ?? 0));
  // Break-glass is never self-service: it always needs someone else to say yes.
  if (out.breakGlass) out.quorum = Math.max(out.quorum, 1);
  return out;
}

