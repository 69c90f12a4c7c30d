import { createHmac } from 'node:crypto';

/** A JIRA-side change raidsync asks FireFighter to take, as a `jira:issue_updated` webhook would carry it. */
export interface JiraUpdate {
  /** JIRA's numeric issue id; FireFighter does `int(issue.id)` and fails on anything else. */
  issueId: string;
  /** The key FireFighter finds the incident by (`jira_ticket_key`). */
  issueKey: string;
  /** Must not be FireFighter's own JIRA account, whose changes it ignores. */
  actor: { accountId: string; displayName: string };
  items: Array<{ field: string; fieldId: string; fromString: string | null; toString: string }>;
}

/** The exact JSON text to POST to `raid/jira_update`; sign these bytes, not a re-serialisation. */
export function buildJiraUpdateBody(update: JiraUpdate): string {
  if (!/^\d+$/.test(update.issueId)) throw new RangeError(`JIRA issue id must be numeric, got ${JSON.stringify(update.issueId)}`);
  return JSON.stringify({
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    issue: { id: update.issueId, key: update.issueKey },
    user: { accountId: update.actor.accountId, displayName: update.actor.displayName },
    changelog: {
      items: update.items.map((item) => ({
        field: item.field,
        fieldtype: item.fieldId.startsWith('customfield_') ? 'custom' : 'jira',
        fieldId: item.fieldId,
        fromString: item.fromString,
        toString: item.toString,
      })),
    },
  });
}

/** `X-Hub-Signature` value: `sha256=` and the lowercase hex HMAC-SHA256 of the body, keyed with the webhook secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
