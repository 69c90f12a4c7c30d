import type { JsonValue } from '../../state/json.js';
import { FIELD_ADAPTERS } from '../decide/field-adapters.js';
import type { PairContext } from '../decide/pair.js';
import { SYNC_FIELDS, type SyncField } from '../fields.js';
import type { FieldChange } from '../decide/plan.js';

/** What a write should leave on its target side, in canonical values per field: how to tell afterwards whether it landed. */
export interface Expectation {
  side: 'jira' | 'impact';
  fields: Partial<Record<SyncField, string | null>>;
}

export function expectationOf(changes: readonly FieldChange[]): Expectation {
  const side = changes[0]?.direction === 'jira_to_impact' ? 'impact' : 'jira';
  return { side, fields: Object.fromEntries(changes.map((change) => [change.field, change.target])) };
}

/** The changes whose target value is not yet on their side of `ctx` (read back after the write). */
export function notYetLanded(changes: readonly FieldChange[], ctx: PairContext): FieldChange[] {
  return changes.filter((change) => valueOn(change.direction === 'jira_to_impact' ? 'impact' : 'jira', change.field, ctx) !== change.target);
}

/** Whether every field of the expectation holds its value on the pair as read now. */
export function hasLanded(expectation: Expectation, ctx: PairContext): boolean {
  return Object.entries(expectation.fields).every(([field, value]) => valueOn(expectation.side, field as SyncField, ctx) === value);
}

/** The expectation journaled with an intent, or null when the payload holds none (an intent from an older build). */
export function expectationIn(payload: { [key: string]: JsonValue }): Expectation | null {
  const stored = payload.expect;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const { side, fields } = stored;
  if ((side !== 'jira' && side !== 'impact') || typeof fields !== 'object' || fields === null || Array.isArray(fields)) return null;
  const parsed: Expectation['fields'] = {};
  for (const [field, value] of Object.entries(fields)) {
    if (!(SYNC_FIELDS as readonly string[]).includes(field) || (typeof value !== 'string' && value !== null)) return null;
    parsed[field as SyncField] = value;
  }
  return { side, fields: parsed };
}

export function expectationJson(expectation: Expectation): { [key: string]: JsonValue } {
  return { side: expectation.side, fields: { ...expectation.fields } as { [key: string]: JsonValue } };
}

function valueOn(side: 'jira' | 'impact', field: SyncField, ctx: PairContext): string | null {
  const adapter = FIELD_ADAPTERS[field];
  return side === 'jira' ? adapter.jiraValue(ctx) : adapter.impactValue(ctx.incident);
}
