import type { ErrorCategory } from '../../net/errors.js';
import { NOT_SENT_INTERRUPTED, type ApplyContext } from './applier.js';
import { expectationJson, expectationOf, notYetLanded } from './landed.js';
import type { FieldChange } from '../decide/plan.js';
import type { Pair } from '../decide/planner.js';
import { writeUntilLanded } from './verified-write.js';
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

export interface StatusPushResult {
  outcome: 'applied' | 'blocked' | 'failed';
  reason: string;
  category: ErrorCategory | null;
}

/** Moves the issue to the target status along its workflow, hop by hop, each hop journaled. */
export async function pushStatus(pair: Pair, change: FieldChange, ctx: ApplyContext): Promise<StatusPushResult> {
  const key = pair.issue.key;
  const target = change.target as string;
  return walkToStatus(
    { issueKey: key, from: pair.issue.status, target, scope: pair.issue.workflowScope },
    {
      jira: ctx.jira,
      knowledge: ctx.status.knowledge,
      terminalStatuses: ctx.status.terminalStatuses,
      transitionFields: ctx.status.transitionFields,
      beginPath: (statuses) => ctx.status.paths.begin(pair, target, statuses),
      finishPath: () => ctx.status.paths.finish(pair),
      sendHop: async (hop, hopNumber, hops, fields) => {
        if (ctx.interrupted?.()) throw new Error(NOT_SENT_INTERRUPTED);
        const hopChange: FieldChange = { ...change, target: hop.to };
        const payload = { key, transition: hop.transitionId, from: hop.from, to: hop.to, hop: hopNumber, hops, target, expect: expectationJson(expectationOf([hopChange])) };
        const intent = await ctx.journal.begin('jira_transition', pair, payload);
        try {
          // A transition whose answer was lost is taken again only if the issue has not already reached the hop's status.
          await writeUntilLanded(
            [hopChange],
            () => ctx.jira.doTransition(key, hop.transitionId, fields),
            async (sent) => notYetLanded(sent, { ...pair, issue: await ctx.jira.getIssue(key), maps: ctx.maps, directory: new Map() }),
          );
          await ctx.journal.settle(intent, true);
        } catch (error) {
          await ctx.journal.settle(intent, false);
          throw error;
        }
      },
    },
  );
}
