import type { JiraClient } from '../../jira/client.js';
import type { JiraTransition } from '../../jira/transition.js';
import type { WorkflowScope } from '../../jira/workflow.js';
import { errorCategory as categoryOf, errorMessage as messageOf, type ErrorCategory } from '../../net/errors.js';
import type { WorkflowKnowledge } from './workflow-knowledge.js';
import { shortestPath, type WorkflowHop } from './workflow-path.js';

export interface WalkResult {
  outcome: 'applied' | 'blocked' | 'failed';
  reason: string;
  category: ErrorCategory | null;
}

export interface WalkRequest {
  issueKey: string;
  /** The status the issue was read in. */
  from: string;
  target: string;
  /** The issue's project and type, when read with it: then its workflow is found without asking JIRA. */
  scope?: WorkflowScope | undefined;
}

export interface WalkDeps {
  jira: JiraClient;
  knowledge: WorkflowKnowledge;
  terminalStatuses: readonly string[];
  /** Values for required screen fields, by the status the transition leads to. */
  transitionFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Recorded before the first hop: the statuses along the path, so a walk cut off midway is resumed, not restarted. */
  beginPath(statuses: readonly string[]): Promise<void>;
  /** The walk reached its target. */
  finishPath(): Promise<void>;
  /** Takes one transition, journaled. */
  sendHop(hop: WorkflowHop, hopNumber: number, hops: number, fields: Record<string, unknown> | undefined): Promise<void>;
}

const blocked = (reason: string): WalkResult => ({ outcome: 'blocked', reason, category: 'workflow' });

function missingFieldReason(hop: WorkflowHop, missing: readonly string[]): string {
  return `transition "${hop.transitionName}" (${hop.from} → ${hop.to}) requires field ${missing.join(', ')}; set jira.transitionFields.${hop.to}.${missing[0]}`;
}

/**
 * Moves an issue to `target` along the shortest workflow path, one transition at a time by id. Every screen field
 * the path is known to need is checked before the first hop; each hop is re-checked against what JIRA offers
 * just before it is taken.
 */
export async function walkToStatus(request: WalkRequest, deps: WalkDeps): Promise<WalkResult> {
  const { issueKey: key, target } = request;
  const { knowledge } = deps;
  let offered: JiraTransition[];
  let hops: WorkflowHop[] | null;
  try {
    offered = await deps.jira.getTransitions(key);
    await knowledge.learn(key, request.from, offered);
    const edges = await knowledge.edges(key, request.scope);
    if (!edges.some((edge) => edge.to === target) && request.from !== target) {
      return blocked(`"${target}" is not a status ${key} can be moved to (none of the ${knowledge.source(key)} leads there); check the status maps`);
    }
    hops = shortestPath(edges, request.from, target, deps.terminalStatuses);
    if (hops === null) {
      const through = deps.terminalStatuses.length > 0 ? ` without passing through ${deps.terminalStatuses.join(', ')}` : '';
      return blocked(`no workflow path from "${request.from}" to "${target}" for ${key}${through} (from the ${knowledge.source(key)})`);
    }
    await knowledge.explore(key, hops.slice(1).filter((hop) => knowledge.requiredFields(key, hop.from, hop.transitionId) === null).map((hop) => hop.from));
  } catch (error) {
    return { outcome: 'failed', reason: messageOf(error), category: categoryOf(error) };
  }
  if (hops.length === 0) return { outcome: 'applied', reason: '', category: null };

  // Before any hop: every screen field the path is known to require must have a configured value.
  for (const hop of hops) {
    const required = hop === hops[0] ? offered.find((t) => t.id === hop.transitionId)?.requiredFields ?? [] : knowledge.requiredFields(key, hop.from, hop.transitionId) ?? [];
    const missing = required.filter((field) => !(field in (deps.transitionFields[hop.to] ?? {})));
    if (missing.length > 0) return blocked(missingFieldReason(hop, missing));
  }

  await deps.beginPath([request.from, ...hops.map((hop) => hop.to)]);
  let at = request.from;
  for (const [index, hop] of hops.entries()) {
    const progress = index > 0 ? ` after ${index} of ${hops.length} hops (${key} is now in "${at}"; the next run continues from there)` : '';
    try {
      if (index > 0) {
        offered = await deps.jira.getTransitions(key);
        await knowledge.learn(key, at, offered);
      }
      const transition = offered.find((candidate) => candidate.id === hop.transitionId && candidate.to.name === hop.to);
      if (!transition) {
        await knowledge.forget(key, at, hop.transitionId);
        return { outcome: 'failed', reason: `JIRA no longer offers "${hop.transitionName}" (${hop.from} → ${hop.to}) for ${key}${progress}`, category: 'workflow' };
      }
      const configured = deps.transitionFields[hop.to] ?? {};
      const missing = transition.requiredFields.filter((field) => !(field in configured));
      if (missing.length > 0) return blocked(`${missingFieldReason(hop, missing)}${progress}`);
      const fields = Object.fromEntries(transition.requiredFields.map((field) => [field, configured[field]]));
      await deps.sendHop(hop, index + 1, hops.length, Object.keys(fields).length > 0 ? fields : undefined);
      at = hop.to;
    } catch (error) {
      return { outcome: 'failed', reason: `${messageOf(error)}${progress}`, category: categoryOf(error) };
    }
  }
  await deps.finishPath();
  return { outcome: 'applied', reason: hops.length > 1 ? `via ${hops.slice(0, -1).map((hop) => `"${hop.to}"`).join(', ')}` : '', category: null };
}
