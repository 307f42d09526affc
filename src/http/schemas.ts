import { z } from 'zod';
import { Name } from '../intent/schema.js';

/**
 * Request schemas: the same zod objects validate requests and generate /v1/openapi.json.
 * Bodies are strict (an unknown field is a 400, so a typo never silently changes a request).
 */
const RUN_STATES = ['requested', 'pending_approval', 'approved', 'running', 'succeeded', 'failed', 'rolled_back', 'timed_out', 'cancelled', 'interrupted', 'rejected', 'denied', 'expired'] as const;

export const Params = z.record(z.string().max(64), z.unknown()).describe('Values for the intent\'s declared parameters');

export const IntentNameParams = z.strictObject({ name: Name.describe('Intent name') });
export const RunIdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).describe('Run id') });

// Fastify hands a missing body to the validator as null: `POST …/plan` with no body is fine.
export const PlanBody = z.strictObject({ params: Params.optional() }).nullish();

export const RunBody = z.strictObject({
  intent: Name,
  params: Params.optional(),
  reason: z.string().max(500).optional().describe('Why; recorded in the audit trail'),
  pr: z.string().min(1).max(300).optional().describe('The approving pull request: owner/repo#123 or its URL'),
  breakGlass: z.boolean().optional().describe('Run outside the change window; needs an approval from someone else'),
});

export const ApproveBody = z.strictObject({ comment: z.string().max(500).optional() }).nullish();
export const DenyBody = z.strictObject({ reason: z.string().max(500).optional() }).nullish();

const BooleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const RunQuery = z.object({
  wait: BooleanFlag.optional().describe('Wait (up to server.waitTimeoutSeconds) for the run to finish'),
});

export const ListRunsQuery = z.object({
  state: z.enum(RUN_STATES).optional(),
  intent: Name.optional(),
  stack: Name.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const AuditQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('Return events after this sequence number'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const VerifyQuery = z.object({
  seq: z.coerce.number().int().min(1).optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).refine((q) => (q.seq === undefined) === (q.hash === undefined), { message: 'give both seq and hash (a checkpoint), or neither' });

/** The original service's request: `{"name": "...", "dry_run": true}`. Extra fields are ignored, as it did. */
export const LegacyRunBody = z.object({
  name: Name,
  dry_run: z.boolean().optional(),
});
