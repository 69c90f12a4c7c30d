/** Per-request lookups every resource handler needs: render settings, the path issue, the JSON body. */
import type { EmulatorState, RequestContext } from '../context.js';
import { issueNotFound } from '../errors.js';
import type { FieldValueContext } from '../field-values.js';
import type { RenderTarget } from '../render.js';
import type { EmulatedIssue } from '../store.js';

export function renderTargetFor(context: RequestContext, state: EmulatorState): RenderTarget {
  return { baseUrl: context.baseUrl, apiVersion: context.apiVersion, mode: state.mode, viewer: context.caller, store: state.store };
}

export function fieldValueContextFor(context: RequestContext, state: EmulatorState): FieldValueContext {
  return { store: state.store, mode: state.mode, apiVersion: context.apiVersion };
}

/** The issue named by the `{issueIdOrKey}` path parameter, or JIRA's 404. */
export function pathIssue(context: RequestContext, state: EmulatorState): EmulatedIssue {
  const issue = state.store.issue(context.params['issueIdOrKey'] ?? '');
  if (!issue) throw issueNotFound();
  return issue;
}

/** A JSON object's properties; anything else reads as an empty object. */
export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function objectBody(context: RequestContext): Record<string, unknown> {
  return asObject(context.body);
}
