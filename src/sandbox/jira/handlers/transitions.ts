import type { Handler } from '../context.js';
import { listParam, recordWrite } from '../context.js';
import { badRequest, fieldErrors } from '../errors.js';
import { applyStatus, applyValues, cannotBeSet, resolveFieldValues } from '../field-values.js';
import { renderStatus } from '../render.js';
import type { SeedTransition } from '../seed.js';
import type { JiraStore } from '../store.js';
import { availableTransitions, missingScreenFields, requireAvailableTransition } from '../workflow.js';
import { asObject, fieldValueContextFor, objectBody, pathIssue, renderTargetFor } from './request-scope.js';

/** Screen fields as FieldMetadata; only `resolution` screens exist in the emulator's workflows. */
function renderScreenFields(store: JiraStore, transition: SeedTransition): Record<string, unknown> {
  return Object.fromEntries(
    transition.screen.map((field) => [
      field.fieldId,
      {
        required: field.required,
        schema: field.fieldId === 'resolution' ? { type: 'resolution', system: 'resolution' } : { type: 'string', system: field.fieldId },
        name: field.name,
        key: field.fieldId,
        hasDefaultValue: false,
        operations: ['set'],
        ...(field.fieldId === 'resolution' ? { allowedValues: store.resolutions.map((resolution) => ({ id: resolution.id, name: resolution.name })) } : {}),
      },
    ]),
  );
}

export const getTransitions: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const project = state.store.requireProject(issue.projectKey);
  const withFields = (listParam(context.query, 'expand') ?? []).includes('transitions.fields');
  const target = renderTargetFor(context, state);
  return {
    status: 200,
    body: {
      expand: 'transitions',
      transitions: availableTransitions(project, issue.statusId).map(({ transition, to }) => ({
        id: transition.id,
        name: transition.name,
        to: renderStatus(target, to),
        hasScreen: transition.screen.length > 0,
        isGlobal: transition.from === '*',
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
        ...(withFields ? { fields: renderScreenFields(state.store, transition) } : {}),
      })),
    },
  };
};

/** Reads the resolution a transition screen received, by name or id. */
function resolutionFrom(store: JiraStore, value: unknown): { id: string | null } | { error: string } {
  if (value === undefined || value === null) return { id: null };
  const reference = asObject(value) as { id?: unknown; name?: unknown };
  const resolution = store.resolutions.find((candidate) => candidate.id === reference.id || candidate.name === reference.name);
  return resolution ? { id: resolution.id } : { error: `Resolution '${String(reference.name ?? reference.id)}' is not valid.` };
}

export const doTransition: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const project = state.store.requireProject(issue.projectKey);
  const body = objectBody(context);
  const transitionId = asObject(body['transition'])['id'];
  if (typeof transitionId !== 'string' && typeof transitionId !== 'number') throw badRequest("Missing 'transition' identifier");
  const { transition, to } = requireAvailableTransition(project, issue.statusId, String(transitionId));
  const fields = asObject(body['fields']);
  const errors: Record<string, string> = { ...missingScreenFields(transition, fields) };
  const onScreen = new Set(transition.screen.map((field) => field.fieldId));
  const screenValues: Record<string, unknown> = {};
  for (const [fieldId, value] of Object.entries(fields)) {
    if (!onScreen.has(fieldId)) errors[fieldId] = cannotBeSet(fieldId);
    else if (fieldId !== 'resolution') screenValues[fieldId] = value;
  }
  const resolution = resolutionFrom(state.store, fields['resolution']);
  if ('error' in resolution) errors['resolution'] = resolution.error;
  const valueContext = fieldValueContextFor(context, state);
  const resolved = resolveFieldValues(valueContext, screenValues);
  Object.assign(errors, resolved.errors);
  if (Object.keys(errors).length > 0) throw fieldErrors(errors);
  const from = state.store.status(project, issue.statusId);
  const items = [...applyStatus(valueContext, issue, from, to, 'id' in resolution ? resolution.id : null), ...applyValues(valueContext, issue, resolved.values)];
  state.store.recordChange(issue, context.caller.accountId, items, context.now);
  recordWrite(state, context, issue.key, 'transition');
  return { status: 204 };
};
