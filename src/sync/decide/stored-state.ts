import type { LoopGuard } from './loop-guard.js';
import type { SyncField } from '../fields.js';
import type { Bases, BaseValues } from './pair.js';

/** The state file's bases, as the planner takes them: canonical text values per incident and field. */
export function toBases(stored: Map<number, Map<string, { impact: unknown; jira: unknown }>>): Bases {
  const bases = new Map<number, Map<SyncField, BaseValues>>();
  for (const [incident, fields] of stored) {
    const values = new Map<SyncField, BaseValues>();
    for (const [field, base] of fields) values.set(field as SyncField, { impact: asText(base.impact), jira: asText(base.jira) });
    bases.set(incident, values);
  }
  return bases;
}

/** The state file's loop guards, as the planner takes them. */
export function toGuards(stored: Map<string, Map<string, { value: unknown; writtenAt: Date }>>): LoopGuard[] {
  const guards: LoopGuard[] = [];
  for (const [key, fields] of stored) {
    for (const [field, guard] of fields) guards.push({ key, field: field as SyncField, value: asText(guard.value), writtenAt: guard.writtenAt.getTime() });
  }
  return guards;
}

function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

