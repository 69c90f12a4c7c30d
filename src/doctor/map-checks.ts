import type { FieldMaps } from '../sync/decide/maps/types.js';
import { shortestPath, type WorkflowHop, type WorkflowTransitionEdge } from '../sync/act/workflow-path.js';
import { fail, pass, type CheckResult } from './check.js';

export interface WorkflowFacts {
  project: string;
  statuses: readonly string[];
  edges: readonly WorkflowTransitionEdge[];
  terminalStatuses: readonly string[];
  transitionFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Required screen fields of a transition from a status; null while unknown. */
  requiredFields(from: string, transitionId: string): string[] | null;
}

/** JIRA statuses the maps name: the keys read from JIRA and the targets written to it. */
function mappedStatuses(maps: FieldMaps): { read: string[]; targets: string[] } {
  return { read: Object.keys(maps.jiraToImpactStatus), targets: [...new Set(Object.values(maps.impactToJiraStatus))] };
}

export function checkStatusesExist(maps: FieldMaps, facts: WorkflowFacts): CheckResult {
  const known = new Set(facts.statuses);
  const { read, targets } = mappedStatuses(maps);
  const missing = [
    ...targets.filter((status) => !known.has(status)).map((status) => `maps.impactToJiraStatus → "${status}"`),
    ...read.filter((status) => !known.has(status)).map((status) => `maps.jiraToImpactStatus."${status}"`),
  ];
  const name = `every status in the maps exists in ${facts.project}'s workflow`;
  if (missing.length === 0) return pass('maps', name, `${targets.length + read.length} mapped statuses found among ${facts.statuses.length}`);
  return fail('maps', name, `not in the workflow: ${missing.join(', ')}`, `use status names of ${facts.project} (exact, case-sensitive): ${facts.statuses.join(', ')}`);
}

export function checkTargetsReachable(maps: FieldMaps, facts: WorkflowFacts): CheckResult {
  const known = new Set(facts.statuses);
  const unreachable = mappedStatuses(maps).targets.filter(
    (target) => known.has(target) && !facts.statuses.some((from) => from !== target && shortestPath(facts.edges, from, target, facts.terminalStatuses) !== null),
  );
  const name = 'every status raidsync may push to is reachable';
  if (unreachable.length === 0) return pass('maps', name, `from the ${facts.edges.length} transitions known`);
  return fail(
    'maps',
    name,
    `no transition path leads to ${unreachable.map((status) => `"${status}"`).join(', ')}${facts.terminalStatuses.length > 0 ? ` without passing through ${facts.terminalStatuses.join(', ')}` : ''}`,
    'map those Impact statuses to a status the workflow can reach (maps.impactToJiraStatus), or add a transition to the workflow',
  );
}

export function checkTransitionFields(maps: FieldMaps, facts: WorkflowFacts): CheckResult {
  // The hops raidsync would take: every shortest path from any status to any mapped target.
  const hops = new Map<string, WorkflowHop>();
  for (const target of mappedStatuses(maps).targets) {
    for (const from of facts.statuses) {
      for (const hop of shortestPath(facts.edges, from, target, facts.terminalStatuses) ?? []) hops.set(`${hop.from}\u0000${hop.transitionId}`, hop);
    }
  }
  const missing: string[] = [];
  let unknown = 0;
  for (const hop of hops.values()) {
    const required = facts.requiredFields(hop.from, hop.transitionId);
    if (required === null) unknown++;
    for (const field of required ?? []) {
      if (!(field in (facts.transitionFields[hop.to] ?? {}))) missing.push(`"${hop.transitionName}" (${hop.from} → ${hop.to}) requires ${field}: set jira.transitionFields.${hop.to}.${field}`);
    }
  }
  const name = 'required transition fields are configured';
  const caveat = unknown > 0 ? `; ${unknown} transition screen(s) not seen yet (no issue sits where they start)` : '';
  if (missing.length === 0) return pass('maps', name, `${hops.size} transitions on raidsync's paths checked${caveat}`);
  return fail('maps', name, [...new Set(missing)].join('; '), 'add the values to jira.transitionFields, e.g. {Resolved: {resolution: {name: Done}}}');
}

export function checkPriorities(maps: FieldMaps, jiraPriorities: readonly string[], fieldIds: readonly string[]): CheckResult {
  if (maps.priorityField !== 'priority') {
    const name = `the priority field ${maps.priorityField} exists`;
    return fieldIds.includes(maps.priorityField)
      ? pass('maps', name, 'found among JIRA\'s fields')
      : fail('maps', name, `JIRA has no field ${maps.priorityField}`, 'set maps.priorityField to the id of the select field holding "1".."5", or "priority"');
  }
  const known = new Set(jiraPriorities);
  const missing = [...new Set(Object.values(maps.impactToJiraPriority))].filter((name) => !known.has(name));
  const name = 'every priority in the maps exists in JIRA';
  if (missing.length === 0) return pass('maps', name, `${jiraPriorities.length} JIRA priorities`);
  return fail('maps', name, `not a JIRA priority: ${missing.map((p) => `"${p}"`).join(', ')}`, `use JIRA's priority names in maps.impactToJiraPriority: ${jiraPriorities.join(', ')}`);
}
