import { errorCategory as categoryOf, errorMessage as messageOf, type ErrorCategory } from '../net/errors.js';
import type { ApplyContext } from './applier.js';
import type { Pair } from './planner.js';

export interface StatusPushSettings {
  /** Statuses never passed *through* on the way to a target (FireFighter's TERMINAL_STATUS_NAMES). */
  terminalStatuses: readonly string[];
  /** Values for required transition-screen fields, by target status. */
  transitionFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface StatusPushResult {
  outcome: 'applied' | 'blocked' | 'failed';
  reason: string;
  category: ErrorCategory | null;
}

/** Moves the issue to the target status through the transition JIRA offers, filling required screen fields from config. */
export async function pushStatus(pair: Pair, target: string, ctx: ApplyContext): Promise<StatusPushResult> {
  const key = pair.issue.key;
  let transitions;
  try {
    transitions = await ctx.jira.getTransitions(key);
  } catch (error) {
    return { outcome: 'failed', reason: messageOf(error), category: categoryOf(error) };
  }
  const transition = transitions.find((candidate) => candidate.to.name === target);
  if (!transition) {
    return {
      outcome: 'blocked',
      reason: `no transition from "${pair.issue.status}" to "${target}" is offered for ${key}`,
      category: 'workflow',
    };
  }
  const configured = ctx.status.transitionFields[target] ?? {};
  const missing = transition.requiredFields.filter((field) => !(field in configured));
  if (missing.length > 0) {
    return {
      outcome: 'blocked',
      reason: `transition "${transition.name}" to ${target} requires field ${missing.join(', ')}; set jira.transitionFields.${target}.${missing[0]}`,
      category: 'workflow',
    };
  }
  const fields = Object.fromEntries(transition.requiredFields.map((field) => [field, configured[field]]));
  const intent = await ctx.journal.begin('jira_transition', pair, { key, transition: transition.id, to: target });
  try {
    await ctx.jira.doTransition(key, transition.id, Object.keys(fields).length > 0 ? fields : undefined);
    await ctx.journal.settle(intent, true);
    return { outcome: 'applied', reason: '', category: null };
  } catch (error) {
    await ctx.journal.settle(intent, false);
    return { outcome: 'failed', reason: messageOf(error), category: categoryOf(error) };
  }
}
