import type { JiraClient } from '../../jira/client.js';
import type { JiraTransition } from '../../jira/transition.js';
import type { WorkflowScope } from '../../jira/workflow.js';
import { errorCategory as categoryOf, errorMessage as messageOf, ServiceError, type ErrorCategory } from '../../net/errors.js';
import type { WorkflowKnowledge } from './workflow-knowledge.js';
import { shortestPath, type WorkflowHop, type WorkflowTransitionEdge } from './workflow-path.js';

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
  jira: Pick<JiraClient, 'getTransitions' | 'getIssue'>;
  knowledge: WorkflowKnowledge;
  terminalStatuses: readonly string[];
  /** Values for required screen fields, by the status the transition leads to. */
  transitionFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Recorded before the first hop, and again when a refusal re-plans the rest: the statuses along the path, so a walk cut off midway is resumed, not restarted. */
  beginPath(statuses: readonly string[]): Promise<void>;
  /** The walk reached its target. */
  finishPath(): Promise<void>;
  /** Takes one transition, journaled. */
  sendHop(hop: WorkflowHop, hopNumber: number, hops: number, fields: Record<string, unknown> | undefined): Promise<void>;
}

/** A hop with the screen fields it is sent with. */
interface PlannedHop {
  hop: WorkflowHop;
  fields: Record<string, unknown> | undefined;
}

type Route = { hops: PlannedHop[] } | { blocked: string };

// Refusals answered by a re-plan in one walk: a workflow changing under every hop is reported, not chased.
const MAX_REPLANS = 3;

const blocked = (reason: string): WalkResult => ({ outcome: 'blocked', reason, category: 'workflow' });

function missingFieldReason(hop: WorkflowHop, missing: readonly string[]): string {
  return `transition "${hop.transitionName}" (${hop.from} → ${hop.to}) requires field ${missing.join(', ')}; set jira.transitionFields.${hop.to}.${missing[0]}`;
}

/** JIRA refusing a transition (not offered from the issue's status, a screen field missing, a validator): nothing moved. */
function isRefusal(error: unknown): boolean {
  return error instanceof ServiceError && (error.status === 400 || error.status === 409);
}

const asEdges = (status: string, offered: readonly JiraTransition[]): WorkflowTransitionEdge[] =>
  offered.map((transition) => ({ from: status, to: transition.to.name, transitionId: transition.id, transitionName: transition.name }));

/**
 * The path from `at` to the target over the known graph, each hop with the screen fields it needs. JIRA is asked
 * what it offers from `at` only when the graph cannot tell: nothing known leaves `at`, no path is known, or the
 * first hop's screen was never seen. `offered`: what JIRA answered for the issue in `at` this walk.
 */
async function route(request: WalkRequest, at: string, deps: WalkDeps, offered?: readonly JiraTransition[]): Promise<Route> {
  const { issueKey: key, target } = request;
  const { knowledge } = deps;
  const readOffered = async (): Promise<Route> => {
    const now = await deps.jira.getTransitions(key);
    await knowledge.learn(key, at, now);
    return route(request, at, deps, now);
  };
  const edges = await knowledge.edges(key, request.scope);
  const atStart = offered ? asEdges(at, offered) : undefined;
  const hops = shortestPath(edges, at, target, deps.terminalStatuses, atStart);
  if (hops === null) {
    if (!offered) return readOffered();
    if (![...edges, ...(atStart ?? [])].some((edge) => edge.to === target)) {
      return { blocked: `"${target}" is not a status ${key} can be moved to (none of the ${knowledge.source(key)} leads there); check the status maps` };
    }
    const through = deps.terminalStatuses.length > 0 ? ` without passing through ${deps.terminalStatuses.join(', ')}` : '';
    return { blocked: `no workflow path from "${at}" to "${target}" for ${key}${through} (from the ${knowledge.source(key)})` };
  }
  const first = hops[0];
  const firstScreen = first && (offered ? offered.find((transition) => transition.id === first.transitionId)?.requiredFields : knowledge.requiredFields(key, at, first.transitionId));
  if (first && !firstScreen) return readOffered();
  const unseen = hops.slice(1).filter((hop) => knowledge.requiredFields(key, hop.from, hop.transitionId) === null);
  await knowledge.explore(key, unseen.map((hop) => hop.from));

  // Before any hop: every screen field the path is known to require must have a configured value.
  const planned: PlannedHop[] = [];
  for (const hop of hops) {
    const required = hop === first ? firstScreen ?? [] : knowledge.requiredFields(key, hop.from, hop.transitionId) ?? [];
    const configured = deps.transitionFields[hop.to] ?? {};
    const missing = required.filter((field) => !(field in configured));
    if (missing.length > 0) return { blocked: missingFieldReason(hop, missing) };
    planned.push({ hop, fields: required.length > 0 ? Object.fromEntries(required.map((field) => [field, configured[field]])) : undefined });
  }
  return { hops: planned };
}

const sameHop = (a: PlannedHop, b: PlannedHop): boolean => a.hop.transitionId === b.hop.transitionId && JSON.stringify(a.fields) === JSON.stringify(b.fields);

/**
 * After JIRA refused `refused` from `at`: reads where the issue is and what it is offered there, and plans the rest
 * of the path again. The new hops, or the walk's result when no other way is left.
 */
async function replan(request: WalkRequest, at: string, refused: PlannedHop, error: unknown, progress: string, deps: WalkDeps): Promise<PlannedHop[] | WalkResult> {
  const key = request.issueKey;
  const now = (await deps.jira.getIssue(key)).status;
  if (now !== at) return { outcome: 'failed', reason: `${key} was moved to "${now}" while raidsync took it from "${at}" towards "${request.target}"${progress}`, category: 'workflow' };
  const offered = await deps.jira.getTransitions(key);
  await deps.knowledge.learn(key, at, offered);
  const replanned = await route(request, at, deps, offered);
  if ('blocked' in replanned) {
    if (offered.some((transition) => transition.id === refused.hop.transitionId && transition.to.name === refused.hop.to)) return blocked(`${replanned.blocked}${progress}`);
    return { outcome: 'failed', reason: `JIRA no longer offers "${refused.hop.transitionName}" (${refused.hop.from} → ${refused.hop.to}) for ${key}${progress}`, category: 'workflow' };
  }
  // The same transition with the same fields again: JIRA refused it for a reason a re-plan cannot change (a validator).
  if (replanned.hops[0] && sameHop(replanned.hops[0], refused)) return { outcome: 'failed', reason: `${messageOf(error)}${progress}`, category: categoryOf(error) };
  return replanned.hops;
}

/**
 * Moves an issue to `target` along the shortest workflow path, one transition at a time by id, with no read before
 * a hop when the known graph names it. Every screen field the path is known to need is checked before the first
 * hop; a hop JIRA refuses is answered by reading what it offers then and re-planning the rest of the path.
 */
export async function walkToStatus(request: WalkRequest, deps: WalkDeps): Promise<WalkResult> {
  const key = request.issueKey;
  let plan: Route;
  try {
    plan = await route(request, request.from, deps);
  } catch (error) {
    return { outcome: 'failed', reason: messageOf(error), category: categoryOf(error) };
  }
  if ('blocked' in plan) return blocked(plan.blocked);
  if (plan.hops.length === 0) return { outcome: 'applied', reason: '', category: null };

  const passed = [request.from];
  let hops = plan.hops;
  let replans = 0;
  await deps.beginPath([...passed, ...hops.map((planned) => planned.hop.to)]);
  while (hops.length > 0) {
    const at = passed[passed.length - 1]!;
    const taken = passed.length - 1;
    const progress = taken > 0 ? ` after ${taken} of ${taken + hops.length} hops (${key} is now in "${at}"; the next run continues from there)` : '';
    const next = hops[0]!;
    try {
      await deps.sendHop(next.hop, taken + 1, taken + hops.length, next.fields);
      passed.push(next.hop.to);
      hops = hops.slice(1);
    } catch (error) {
      if (!isRefusal(error) || replans === MAX_REPLANS) return { outcome: 'failed', reason: `${messageOf(error)}${progress}`, category: categoryOf(error) };
      replans++;
      let replanned: PlannedHop[] | WalkResult;
      try {
        replanned = await replan(request, at, next, error, progress, deps);
      } catch (readError) {
        return { outcome: 'failed', reason: `${messageOf(readError)}${progress}`, category: categoryOf(readError) };
      }
      if (!Array.isArray(replanned)) return replanned;
      hops = replanned;
      await deps.beginPath([...passed, ...hops.map((planned) => planned.hop.to)]);
    }
  }
  await deps.finishPath();
  const via = passed.slice(1, -1);
  return { outcome: 'applied', reason: via.length > 0 ? `via ${via.map((status) => `"${status}"`).join(', ')}` : '', category: null };
}
