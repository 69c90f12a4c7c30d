import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildJiraUpdateBody, signBody, type JiraUpdate } from '../../src/impact/webhook.js';

const update: JiraUpdate = {
  issueId: '10042',
  issueKey: 'INC-7',
  actor: { accountId: '712020:raidsync', displayName: 'raidsync bot' },
  items: [{ field: 'Priority', fieldId: 'customfield_11064', fromString: '3', toString: '1' }],
};

describe('buildJiraUpdateBody', () => {
  it('builds the jira:issue_updated payload FireFighter reads', () => {
    expect(JSON.parse(buildJiraUpdateBody(update))).toEqual({
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      issue: { id: '10042', key: 'INC-7' },
      user: { accountId: '712020:raidsync', displayName: 'raidsync bot' },
      changelog: { items: [{ field: 'Priority', fieldtype: 'custom', fieldId: 'customfield_11064', fromString: '3', toString: '1' }] },
    });
  });

  it('is deterministic, so a retried post carries the same bytes and signature', () => {
    expect(buildJiraUpdateBody(update)).toBe(buildJiraUpdateBody(structuredClone(update)));
  });

  it('refuses an issue id FireFighter could not int()', () => {
    expect(() => buildJiraUpdateBody({ ...update, issueId: 'INC-7' })).toThrow(RangeError);
  });
});

describe('signBody', () => {
  it('is sha256= and the lowercase hex HMAC-SHA256 of the UTF-8 body', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (body, secret) => {
        const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');
        expect(signBody(body, secret)).toBe(`sha256=${expected}`);
      }),
    );
    expect(signBody('{"a":"é"}', 'k')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
