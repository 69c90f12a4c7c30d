import type { JiraClient } from '../../jira/client.js';
import type { ErrorCategory } from '../../net/errors.js';
import type { FieldMaps } from '../decide/maps/types.js';
import { pairContext, type Pair } from '../decide/pair.js';
import type { FieldChange } from '../decide/plan.js';
import { journaled, type Journal } from './journaled.js';
import { expectationJson, expectationOf } from './landed.js';
import { sendVerified } from './verified-write.js';
import type { WorkflowKnowledge } from './workflow-knowledge.js';
import { walkToStatus } from './workflow-walk.js';

export interface StatusPushSettings {
  /** Statuses never passed *through* on the way to a target (FireFighter's TERMINAL_STATUS_NAMES). */
  terminalStatuses: readonly string[];
  /** Values for required transition-screen fields, by target status. */
  transitionFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The workflow graph and the screens of its transitions, as far as this run knows them. */
  knowledge: WorkflowKnowledge;
  /** Where a begun path is kept until it reaches its target. */
  paths: {
    begin(pair: Pair, target: string, statuses: readonly string[]): Promise<void>;
    finish(pair: Pair): Promise<void>;
  };
}

export interface StatusPushDeps {
  jira: JiraClient;
  maps: FieldMaps;
  status: StatusPushSettings;
  journal: Journal;
}

export interface StatusPushResult {
  outcome: 'applied' | 'blocked' | 'failed';
  reason: string;
  category: ErrorCategory | null;
}

/** Moves the issue to the target status along its workflow, hop by hop, each hop journaled. */
export async function pushStatus(pair: Pair, change: FieldChange, deps: StatusPushDeps): Promise<StatusPushResult> {
  const key = pair.issue.key;
  const target = change.target as string;
  return walkToStatus(
    { issueKey: key, from: pair.issue.status, target, scope: pair.issue.workflowScope },
    {
      jira: deps.jira,
      knowledge: deps.status.knowledge,
      terminalStatuses: deps.status.terminalStatuses,
      transitionFields: deps.status.transitionFields,
      beginPath: (statuses) => deps.status.paths.begin(pair, target, statuses),
      finishPath: () => deps.status.paths.finish(pair),
      sendHop: (hop, hopNumber, hops, fields) => {
        const hopChange: FieldChange = { ...change, target: hop.to };
        return journaled(deps.journal, {
          kind: 'jira_transition',
          subject: { incidentId: pair.incident.id, issueKey: key },
          payload: { key, transition: hop.transitionId, from: hop.from, to: hop.to, hop: hopNumber, hops, target, expect: expectationJson(expectationOf([hopChange])) },
          // A transition whose answer was lost is taken again only if the issue has not already reached the hop's status.
          send: () =>
            sendVerified(
              [hopChange],
              () => deps.jira.doTransition(key, hop.transitionId, fields),
              async () => pairContext({ ...pair, issue: await deps.jira.getIssue(key) }, deps.maps),
            ),
        });
      },
    },
  );
}
