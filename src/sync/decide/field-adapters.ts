import type { Incident, ImpactStatus } from '../../impact/incident.js';
import type { SyncField } from '../fields.js';
import type { PriorityKey } from './maps/types.js';
import { splitAddenda, withAddenda } from './description-addenda.js';
import type { JiraIssue } from '../../jira/issue.js';
import { normaliseText, titleToSummary } from './normalise.js';
import type { PairContext } from './pair.js';

/** A value carried across by a map, or why it cannot be: `unmapped` (no map entry) or `unresolved` (no unique JIRA user). */
export type Mapped =
  | { ok: true; value: string | null }
  | { ok: false; kind: 'unmapped' | 'unresolved'; reason: string };

/** How one sync field is read on each side, carried across by the maps, and shown to a person. */
export interface FieldAdapter {
  field: SyncField;
  /** The Impact side's canonical value: it depends on the incident alone, so unchanged pairs are found without JIRA. */
  impactValue(incident: Incident): string | null;
  jiraValue(ctx: PairContext): string | null;
  toJira(impactValue: string | null, ctx: PairContext): Mapped;
  toImpact(jiraValue: string | null, ctx: PairContext): Mapped;
  showImpact(impactValue: string | null): string | null;
  showJira(jiraValue: string | null, ctx: PairContext): string | null;
  /** How a value pushed to JIRA reads: the mapped value itself, except for the assignee (its email). */
  showPushed(impactValue: string | null, target: string | null): string | null;
  /** The JIRA field and value an edit of `issue` sends for a mapped value; null for status, which moves by transitions. */
  jiraEdit: ((target: string | null, jira: JiraWriteSettings, issue: Pick<JiraIssue, 'description'>) => [string, unknown]) | null;
}

/** What the shape of a JIRA edit depends on besides the value. */
export interface JiraWriteSettings {
  priorityField: string;
  deployment: 'cloud' | 'datacenter';
}

const ok = (value: string | null): Mapped => ({ ok: true, value });
const shown = (value: string | null): string | null => value;
const pushedAsMapped = (_impactValue: string | null, target: string | null): string | null => target;

const title: FieldAdapter = {
  field: 'title',
  impactValue: (incident) => normaliseText(incident.title),
  jiraValue: ({ issue }) => normaliseText(issue.summary),
  toJira: (value) => ok(titleToSummary(value ?? '')),
  toImpact: (value) => ok(value),
  showImpact: shown,
  showJira: shown,
  showPushed: pushedAsMapped,
  jiraEdit: (target) => ['summary', target ?? ''],
};

const description: FieldAdapter = {
  field: 'description',
  impactValue: (incident) => normaliseText(incident.description),
  // FireFighter's (and raidsync's) addenda are JIRA's own additions, not a difference from Impact.
  jiraValue: ({ issue }) => normaliseText(splitAddenda(issue.description).text),
  toJira: (value) => ok(value),
  toImpact: (value) => ok(value),
  showImpact: shown,
  showJira: shown,
  showPushed: pushedAsMapped,
  // The ticket keeps its addenda after the new text.
  jiraEdit: (target, _jira, issue) => ['description', withAddenda(target ?? '', splitAddenda(issue.description).addenda)],
};

const priority: FieldAdapter = {
  field: 'priority',
  impactValue: (incident) => (incident.priority === null ? null : String(incident.priority)),
  jiraValue: ({ issue }) => issue.priority,
  toJira(value, { maps }) {
    if (value === null) return ok(null);
    const name = maps.impactToJiraPriority[value as PriorityKey];
    return name === undefined
      ? { ok: false, kind: 'unmapped', reason: `Impact priority P${value} has no JIRA priority in the ${maps.preset} map` }
      : ok(name);
  },
  toImpact(value, { maps }) {
    if (value === null) return ok(null);
    const level = maps.jiraToImpactPriority[value];
    return level === undefined
      ? {
          ok: false,
          kind: 'unmapped',
          reason: `JIRA priority "${value}" is not in the ${maps.preset} map (maps.jiraToImpactPriority)`,
        }
      : ok(String(level));
  },
  showImpact: (value) => (value === null ? null : `P${value}`),
  showJira: shown,
  showPushed: pushedAsMapped,
  jiraEdit(target, { priorityField }) {
    if (target === null) return [priorityField, null];
    return [priorityField, priorityField === 'priority' ? { name: target } : { value: target }];
  },
};

const status: FieldAdapter = {
  field: 'status',
  impactValue: (incident) => incident.status,
  jiraValue: ({ issue }) => issue.status,
  toJira(value, { maps }) {
    const name = value === null ? undefined : maps.impactToJiraStatus[value as ImpactStatus];
    return name === undefined
      ? { ok: false, kind: 'unmapped', reason: `Impact status "${value}" has no JIRA status in the ${maps.preset} map` }
      : ok(name);
  },
  toImpact(value, { maps }) {
    const impact = value === null ? undefined : maps.jiraToImpactStatus[value];
    return impact === undefined
      ? {
          ok: false,
          kind: 'unmapped',
          reason: `JIRA status "${value}" is not in the ${maps.preset} map (maps.jiraToImpactStatus)`,
        }
      : ok(impact);
  },
  showImpact: shown,
  showJira: shown,
  showPushed: pushedAsMapped,
  jiraEdit: null,
};

/** The assignee's account (accountId on Cloud, login on Data Center) is what JIRA compares; the email is what people read. */
const commander: FieldAdapter = {
  field: 'commander',
  impactValue: (incident) => incident.commanderEmail,
  jiraValue: ({ issue }) => (issue.assignee ? (issue.assignee.accountId ?? issue.assignee.name) : null),
  toJira(email, { maps, directory }) {
    if (email === null) return ok(null);
    // FireFighter lists Slack-only users with an empty email: nothing to look up in JIRA.
    if (email === '') return { ok: false, kind: 'unresolved', reason: 'the commander has no email in FireFighter, so no JIRA user can be matched (set one on the user in FireFighter)' };
    const configured = maps.users[email];
    if (configured !== undefined) return ok(configured);
    const entry = directory.get(email);
    if (entry === undefined || entry.outcome === 'none') {
      // Cloud never matches a hidden email: such a user can only be mapped by hand.
      return { ok: false, kind: 'unresolved', reason: `no JIRA user has the email ${email} (if JIRA hides it, map it in maps.users)` };
    }
    if (entry.outcome === 'many') {
      return { ok: false, kind: 'unresolved', reason: `${entry.count ?? 'several'} JIRA users have the email ${email}; map the right one in maps.users` };
    }
    return ok(entry.account);
  },
  toImpact(account, { issue, maps }) {
    if (account === null) return ok(null);
    const visible = issue.assignee?.email;
    if (visible) return ok(visible.toLowerCase());
    const configured = Object.entries(maps.users).find(([, id]) => id === account);
    return configured
      ? ok(configured[0])
      : { ok: false, kind: 'unresolved', reason: `JIRA hides the email of assignee ${account}` };
  },
  showImpact: shown,
  showJira(account, { issue }) {
    if (account === null) return null;
    const assignee = issue.assignee;
    const isAssignee = assignee && (assignee.accountId ?? assignee.name) === account;
    return isAssignee ? (assignee.email?.toLowerCase() ?? assignee.displayName ?? account) : account;
  },
  showPushed: (email) => email,
  jiraEdit(target, { deployment }) {
    if (target === null) return ['assignee', null];
    return ['assignee', deployment === 'cloud' ? { accountId: target } : { name: target }];
  },
};

/** The maps are many-to-one: either side's value carried across matching the other is agreement. */
export function inAgreement(adapter: FieldAdapter, impactValue: string | null, jiraValue: string | null, ctx: PairContext): boolean {
  return agrees(adapter.toJira(impactValue, ctx), jiraValue) || agrees(adapter.toImpact(jiraValue, ctx), impactValue);
}

/** A value carried across equals the other side's. */
export function agrees(mapped: Mapped, other: string | null): boolean {
  return mapped.ok && mapped.value === other;
}

export const FIELD_ADAPTERS: Readonly<Record<SyncField, FieldAdapter>> = { title, description, priority, status, commander };
