// The zod schemas of the HTTP API: requests are validated with them and the OpenAPI document is generated
// from them, so the two cannot drift. Limits match the engine's own validation (src/intake/validate.ts).
import { z } from 'zod';
import { ID_MAX, idProblem, SOURCE_MAX, TEXT_MAX, textProblem, USER_ID_MAX } from '../intake/textRules.js';
import { MAX_PAGE } from '../store/cursor.js';

export const MAX_CANDIDATES_PER_REQUEST = 500;
export const MAX_REDRIVE_IDS = 500;
export const MAX_RECALL = 100;

/** Runs one of the shared rules (src/intake/textRules.ts) as a zod check, so HTTP and submit() cannot disagree. */
const rule = (problem: (s: string) => string | undefined) => (s: string, ctx: z.RefinementCtx) => {
  const p = problem(s);
  if (p) ctx.addIssue({ code: 'custom', message: p });
};

const printableId = (max: number, what: string) => z.string()
  .min(1).max(max)
  .superRefine(rule(idProblem))
  .meta({ description: `${what}: 1-${max} printable characters` });

export const UserId = printableId(USER_ID_MAX, 'user id');
export const Id = printableId(ID_MAX, 'id');

export const Priority = z.enum(['high', 'normal', 'low']);

export const CandidateIn = z.object({
  userId: UserId,
  text: z.string()
    .refine((s) => s.trim().length >= 1 && s.trim().length <= TEXT_MAX, { message: `must be 1-${TEXT_MAX} characters after trimming` })
    // submit() trims before it checks: a control character trim removes (e.g. a trailing form feed) is no problem.
    .superRefine(rule((s) => textProblem(s.trim())))
    .meta({ description: `the fact, 1-${TEXT_MAX} UTF-16 code units after trimming; no control characters except tab, newline, carriage return` }),
  id: Id.optional().meta({ description: 'idempotency key; generated when absent' }),
  priority: Priority.optional(),
  source: z.string().max(SOURCE_MAX).superRefine(rule(textProblem)).optional(),
}).meta({ description: 'a proposed memory' });

export const SubmitBody = z.union([
  CandidateIn,
  z.object({ candidates: z.array(CandidateIn).min(1).max(MAX_CANDIDATES_PER_REQUEST) }),
]);

/** Query strings arrive as strings; `query parser: simple` gives an array for a repeated key, which fails here. */
const intParam = (min: number, max: number) => z.string()
  .regex(/^\d{1,7}$/, { message: `must be an integer ${min}-${max}` })
  .transform(Number)
  .pipe(z.number().int().min(min).max(max));

export const Limit = intParam(1, MAX_PAGE).optional().meta({ description: `page size, 1-${MAX_PAGE} (default 100)` });
export const Cursor = z.string().max(200).optional().meta({ description: 'the `cursor` of the previous page' });
export const MemoryStatusQuery = z.enum(['active', 'superseded', 'forgotten', 'all']).optional();

export const MemoriesQuery = z.object({ status: MemoryStatusQuery, limit: Limit, cursor: Cursor });
export const EventsQuery = z.object({ limit: Limit, cursor: Cursor });
export const RecallQuery = z.object({
  query: z.string().max(2000).optional(),
  limit: intParam(1, MAX_RECALL).optional(),
});
export const SubmitQuery = z.object({ wait: z.enum(['1', 'true', '0', 'false']).optional() });

export const UserParams = z.object({ userId: UserId });
export const MemoryParams = z.object({ userId: UserId, memoryId: Id });
export const EventParams = z.object({ eventId: Id });
export const FlagParams = z.object({ name: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a flag name (letters, digits, . _ -)' }) });

export const FlagChangeBody = z.object({
  enabled: z.boolean().optional(),
  rollout: z.number().int().min(0).max(100).optional().meta({ description: 'percentage of users (flexibleRollout)' }),
}).strict().refine((b) => b.enabled !== undefined || b.rollout !== undefined, { message: 'give enabled and/or rollout' });

export const RedriveBody = z.object({ ids: z.array(Id).min(1).max(MAX_REDRIVE_IDS).optional() }).strict();

// ---- responses (for the OpenAPI document) -------------------------------------------------------

export const Memory = z.object({
  id: z.string(), userId: z.string(), text: z.string(), status: z.enum(['active', 'superseded', 'forgotten']),
  version: z.number(), seenCount: z.number(), needsRecheck: z.boolean(), sources: z.array(z.string()),
  createdAt: z.number(), updatedAt: z.number(),
});
export const Event = z.object({
  id: z.string(), userId: z.string(), candidateId: z.string().nullable(),
  action: z.enum(['added', 'duplicate', 'updated', 'superseded', 'fallback', 'undo', 'forget']),
  memoryId: z.string().nullable(), comparedMemoryId: z.string().nullable(), comparedText: z.string().nullable(),
  candidateText: z.string().nullable(), previousText: z.string().nullable(), method: z.string().nullable(),
  score: z.number().nullable(), reasons: z.array(z.string()), undoes: z.string().nullable(), undoneBy: z.string().nullable(), at: z.number(),
});
export const Decision = z.object({
  candidateId: z.string(), userId: z.string(),
  action: z.enum(['added', 'duplicate', 'updated', 'superseded', 'fallback', 'deferred', 'dead-letter', 'disabled', 'rejected']),
  memoryId: z.string().optional(), eventId: z.string().optional(), method: z.string().optional(), score: z.number().optional(),
  reasons: z.array(z.string()).optional(), comparedText: z.string().optional(), error: z.string().optional(),
});
export const SubmitResponse = z.object({
  results: z.array(z.object({ id: z.string(), status: z.enum(['accepted', 'disabled', 'overloaded']), decision: Decision.optional() })),
});
export const DeadLetter = z.object({
  id: z.string(), userId: z.string(), text: z.string(), priority: Priority, source: z.string().optional(),
  acceptedAt: z.number(), attempts: z.number(), lastError: z.string().optional(),
});
export const FlagSummary = z.object({ name: z.string(), enabled: z.boolean(), strategies: z.array(z.unknown()), rollout: z.number().optional() });
export const FlagsResponse = z.object({ mode: z.enum(['embedded', 'unleash']), synchronized: z.boolean(), flags: z.array(FlagSummary) });
export const DiagnosticResponse = z.object({ ok: z.boolean(), timings: z.record(z.string(), z.number()), details: z.unknown() });
export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(['INVALID_INPUT', 'NOT_FOUND', 'UNAUTHORIZED', 'PAYLOAD_TOO_LARGE', 'STORE_REJECTED', 'OVERLOADED', 'FLAGS_READ_ONLY', 'INTERNAL']).or(z.string()),
    message: z.string(),
    details: z.unknown(),
  }),
});
