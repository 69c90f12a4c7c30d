import { z } from 'zod';
import { ISSUE_KEY_PATTERN } from '../../jira/issue-keys.js';
import { SYNC_FIELDS, type SyncField } from '../fields.js';
import type { Plan } from './plan.js';

const PLAN_FILE_VERSION = 1;

const changeSchema = z.object({
  incident: z.number().int().positive(),
  issue: z.string().regex(ISSUE_KEY_PATTERN),
  field: z.enum(SYNC_FIELDS),
  direction: z.enum(['impact_to_jira', 'jira_to_impact']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  outcome: z.enum(['planned', 'applied', 'skipped', 'conflict', 'blocked', 'failed']),
  reason: z.string(),
  target: z.string().nullable(),
  expected: z.object({ impact: z.string().nullable(), jira: z.string().nullable() }),
  shown: z.object({ impact: z.string().nullable(), jira: z.string().nullable() }),
  webhook: z.object({ fromString: z.string().nullable(), toString: z.string() }).optional(),
});

/** A drifted pair as its block's heading names it, so `show` renders the plan as `diff` did. */
const pairSchema = z.object({
  incident: z.number().int().positive(),
  issue: z.string(),
  priority: z.number().int().nullable(),
  title: z.string(),
  incidentUrl: z.string().optional(),
});

const planFileSchema = z.object({
  raidsyncPlan: z.literal(PLAN_FILE_VERSION),
  createdAt: z.string(),
  /** Where the plan's tickets live, for their links; absent in plans written before `show`. */
  jiraUrl: z.string().optional(),
  pairs: z.array(pairSchema).optional(),
  /** How many pairs the diff read. */
  pairsRead: z.number().int().nonnegative().optional(),
  fields: z.array(z.enum(SYNC_FIELDS)),
  conflict: z.enum(['impact', 'jira', 'skip']),
  changes: z.array(changeSchema),
});

export type PlanFile = z.infer<typeof planFileSchema>;

/** A plan as `diff --out` writes it: every change with the values it expects both sides to hold. */
export function planFileJson(
  plan: Pick<Plan, 'changes' | 'pairs'>,
  fields: readonly SyncField[],
  conflict: PlanFile['conflict'],
  shown: { jiraUrl: string; pairs: NonNullable<PlanFile['pairs']> },
): string {
  const file: PlanFile = { raidsyncPlan: PLAN_FILE_VERSION, createdAt: new Date().toISOString(), jiraUrl: shown.jiraUrl, pairs: shown.pairs, pairsRead: plan.pairs, fields: [...fields], conflict, changes: plan.changes };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses a plan file; the error names what is wrong, for a one-line message. */
export function parsePlanFile(text: string): { ok: true; plan: PlanFile } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not JSON' };
  }
  const parsed = planFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `is not a raidsync plan: ${issue?.path.join('.') || '(top level)'} ${issue?.message ?? ''}`.trim() };
}
