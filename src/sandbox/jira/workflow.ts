import { JiraHttpError } from './errors.js';
import type { SeedProject, SeedStatus, SeedTransition } from './seed.js';

export interface AvailableTransition {
  transition: SeedTransition;
  to: SeedStatus;
}

/** Transitions offered from `statusId`; a global transition is not offered from its own target status. */
export function availableTransitions(project: SeedProject, statusId: string): AvailableTransition[] {
  const current = project.workflow.statuses.find((status) => status.id === statusId);
  if (!current) return [];
  return project.workflow.transitions
    .filter((transition) => (transition.from === '*' ? transition.to !== current.name : transition.from.includes(current.name)))
    .map((transition) => ({ transition, to: project.workflow.statuses.find((status) => status.name === transition.to)! }));
}

/** Picks the requested transition or answers as JIRA does when it is not available from the current status. */
export function requireAvailableTransition(project: SeedProject, statusId: string, transitionId: string): AvailableTransition {
  const found = availableTransitions(project, statusId).find(({ transition }) => transition.id === transitionId);
  if (!found) throw new JiraHttpError(400, [`Transition id '${transitionId}' is not valid for this issue.`]);
  return found;
}

/** Required screen fields the request leaves empty, as JIRA's per-field errors. */
export function missingScreenFields(transition: SeedTransition, fields: Record<string, unknown>): Record<string, string> {
  const missing: Record<string, string> = {};
  for (const screenField of transition.screen) {
    const value = fields[screenField.fieldId];
    if (screenField.required && (value === undefined || value === null || value === ''))
      missing[screenField.fieldId] = `${screenField.name} is required.`;
  }
  return missing;
}
