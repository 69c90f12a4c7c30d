import { authenticateWebhook, unauthorizedReply } from './auth.js';
import { acceptsJson } from './incident-routes.js';
import { applyJiraUpdate, type ItemEffect, type JiraUpdateContext } from './jira-update.js';
import { parseJiraUpdateBody } from './jira-update-payload.js';
import { clientError, drfErrorReply, emptyReply, serverErrorReply, type Reply } from './responses.js';

export interface WebhookCall {
  method: string;
  signature: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  rawBody: Buffer;
}

/** One authenticated POST to `raid/jira_update`, as FireFighter received and handled it. */
export interface WebhookRecord {
  /** The bytes received, as UTF-8 text. */
  rawBody: string;
  /** The X-Hub-Signature header as received (it verified, or there would be no record). */
  signature: string;
  /** The decoded body, or undefined when it did not parse. */
  payload: unknown;
  status: number;
  /** The incident whose `jira_ticket_key` matched `issue.key`, or null. */
  incidentId: number | null;
  /** One per changelog item, in order; empty when the body was refused or had no items. */
  effects: ItemEffect[];
}

export interface WebhookEndpoint extends JiraUpdateContext {
  webhookSecret: string;
}

/** `JiraUpdateAlertView` (raid/views/__init__.py:97-117). Returns the record when the call got past authentication. */
export function answerJiraUpdate(call: WebhookCall, endpoint: WebhookEndpoint): { reply: Reply; record?: WebhookRecord } {
  if (!acceptsJson(call.accept)) return { reply: clientError(406, 'not_acceptable', 'Could not satisfy the request Accept header.') };
  const auth = authenticateWebhook(call.signature, call.rawBody, endpoint.webhookSecret);
  if (auth.kind !== 'authenticated') return { reply: unauthorizedReply(auth, 'Signature realm="jira-webhook"') };
  if (call.method !== 'POST') {
    return { reply: clientError(405, 'method_not_allowed', `Method "${call.method}" not allowed.`, { Allow: 'POST, OPTIONS' }) };
  }

  const rawBody = call.rawBody.toString('utf8');
  const parsed = parseJiraUpdateBody(call.rawBody, call.contentType);
  if (!parsed.ok) {
    const type = parsed.errors.some((error) => error.attr !== null) ? 'validation_error' : 'client_error';
    const reply = drfErrorReply(parsed.status, type, parsed.errors);
    return { reply, record: { rawBody, signature: call.signature ?? '', payload: parsed.decoded, status: reply.status, incidentId: null, effects: [] } };
  }
  const outcome = applyJiraUpdate(parsed.payload, endpoint);
  const reply = outcome.status === 200 ? emptyReply(200) : serverErrorReply();
  return { reply, record: { rawBody, signature: call.signature ?? '', payload: parsed.payload, status: reply.status, incidentId: outcome.incidentId, effects: outcome.effects } };
}
