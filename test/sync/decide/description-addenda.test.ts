import { describe, expect, it } from 'vitest';
import { criticalAddendum, splitAddenda, withAddenda } from '../../../src/sync/decide/description-addenda.js';
import { FIELD_ADAPTERS } from '../../../src/sync/decide/field-adapters.js';
import { FIREFIGHTER_MAPS } from '../../../src/sync/decide/maps/firefighter.js';
import { pairContext } from '../../../src/sync/decide/pair.js';
import { incident, issue } from '../../support/records.js';

// FireFighter's exact text: unified_incident.py's critical block, then create_issue's addendum.
const CRITICAL = '\n\n🧯 This incident has been created for a critical incident.\n📦 Incident category: Seller Order\n🌩️ Priority: P3\n';
const ADDITIONAL = '\n *Additional Information* \nSeller link to TOOLBOX: https://toolbox.acme.test/login?seller_id=58213\nSuggested team to be routed: *SELLER*';
const FALLBACK = '\n\n_Automatic creation in the SELLER project was refused by Jira (missing permission): created in INC instead._';

const jiraDescription = (description: string) =>
  FIELD_ADAPTERS.description.jiraValue(pairContext({ incident: incident(), issue: issue({ description }) }, FIREFIGHTER_MAPS));

describe("FireFighter's description addenda", () => {
  it.each([
    ['both, as FireFighter writes them', `Orders fail.${CRITICAL}${ADDITIONAL}`],
    ['Additional Information alone', `Orders fail.\n *Additional Information* \nSuggested team to be routed: *CATALOG*`],
    ['the critical block alone, as raidsync creates it', `Orders fail.${criticalAddendum('Payment', '🌪️', 'P1')}`],
    ['the project fallback note after both', `Orders fail.${CRITICAL}${ADDITIONAL}${FALLBACK}`],
    ['with a person\'s line after them', `Orders fail.${CRITICAL}${ADDITIONAL}\n`],
    ['with CRLF line ends', `Orders fail.${CRITICAL}${ADDITIONAL}`.replaceAll('\n', '\r\n')],
  ])('%s: not drift', (_name, description) => {
    expect(jiraDescription(description)).toBe('Orders fail.');
  });

  it("text a person wrote after the addenda stays the ticket's text", () => {
    expect(jiraDescription(`Orders fail.${CRITICAL}${ADDITIONAL}\n\nSeen again at 10:00.`)).toBe('Orders fail.\n\nSeen again at 10:00.');
  });

  it('a line that only resembles an addendum is text', () => {
    expect(splitAddenda('See *Additional Information* below').addenda).toBe('');
    expect(splitAddenda('Priority: P1\n📦 Incident category: x').addenda).toBe('');
  });

  it('a push keeps the addenda after the new text, exactly as they were', () => {
    const ticket = issue({ description: `Orders fail.${CRITICAL}${ADDITIONAL}` });
    const [field, value] = FIELD_ADAPTERS.description.jiraEdit!('Orders fail in FR only.', { priorityField: 'customfield_11064', deployment: 'cloud' }, ticket);
    expect(field).toBe('description');
    expect(value).toBe(`Orders fail in FR only.${CRITICAL}${ADDITIONAL}`);
    expect(jiraDescription(value as string)).toBe('Orders fail in FR only.');
  });

  it('a ticket without addenda is written with the text alone', () => {
    expect(withAddenda('New text', splitAddenda('Old text').addenda)).toBe('New text');
  });
});
