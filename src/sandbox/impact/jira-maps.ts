import type { ImpactStatus } from '../../impact/incident.js';

/**
 * The emulated FireFighter's own JIRA→Impact tables, kept apart from raidsync's maps on purpose:
 * the emulator must disagree with raidsync wherever the real system would.
 */
export type JiraStatusMapName = 'seed' | 'firefighter';

const SEED_DOCUMENT_STATUS_MAP: ReadonlyMap<string, ImpactStatus> = new Map([
  ['Open', 'Investigating'],
  ['To Do', 'Investigating'],
  ['In Progress', 'Mitigating'],
  ['In Review', 'Mitigating'],
  ['Resolved', 'Mitigated'],
  ['Done', 'Mitigated'],
  ['Closed', 'Post-mortem'],
  ['Reopened', 'Investigating'],
  ['Blocked', 'Mitigating'],
  ['Waiting', 'Mitigating'],
]);

// raid/serializers.py:38-44 at HEAD.
const FIREFIGHTER_STATUS_MAP: ReadonlyMap<string, ImpactStatus> = new Map([
  ['Incoming', 'Open'],
  ['Pending resolution', 'Open'],
  ['in progress', 'Mitigating'],
  ['Reporter validation', 'Mitigated'],
  ['Closed', 'Closed'],
]);

/** Exact, case-sensitive JIRA status name → Impact status. */
export function jiraToImpactStatusMap(name: JiraStatusMapName): ReadonlyMap<string, ImpactStatus> {
  return name === 'seed' ? SEED_DOCUMENT_STATUS_MAP : FIREFIGHTER_STATUS_MAP;
}

// raid/serializers.py:45-57: option values "1".."5" plus the legacy JIRA priority names.
const JIRA_TO_IMPACT_PRIORITY: ReadonlyMap<string, number> = new Map([
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['4', 4],
  ['5', 5],
  ['Highest', 1],
  ['High', 2],
  ['Medium', 3],
  ['Low', 4],
  ['Lowest', 5],
]);

/** `_parse_priority_value`: Python `int(raw)` when it lands in 1..5, else the legacy-name table. */
export function parsePriorityValue(raw: unknown): number | null {
  if (raw === null || raw === undefined) return null;
  const asInt = pythonInt(raw);
  if (asInt !== null && asInt >= 1 && asInt <= 5) return asInt;
  return JIRA_TO_IMPACT_PRIORITY.get(pythonStr(raw)) ?? null;
}

/** Python's `int(x)` for JSON values: strings of digits (surrounding blanks allowed), numbers truncated, booleans 0/1. */
export function pythonInt(raw: unknown): number | null {
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.trunc(raw) : null;
  if (typeof raw === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(raw)) return Number(raw.replaceAll('_', '').trim());
  return null;
}

function pythonStr(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return raw ? 'True' : 'False';
  return JSON.stringify(raw);
}
