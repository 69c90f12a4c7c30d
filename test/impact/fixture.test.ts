import { describe, expect, it } from 'vitest';
import { parseImpactSeed } from '../../src/sandbox/impact/seed.js';
import { fixtureSeed } from './emulator-harness.js';

describe('fixtures/impact.json', () => {
  it('holds incidents 101..112 as the sandbox scenario expects', async () => {
    const seed = await fixtureSeed();
    const rows = seed.incidents.map((incident) => [incident.id, incident.title, incident.priority, incident.status, incident.commander, incident.jiraTicketKey]);
    expect(rows).toEqual([
      [101, 'Checkout API returns 500 on PRD', 1, 'Mitigating', 'alice@acme.test', 'INC-1'],
      [102, 'Search latency spike on catalogue', 2, 'Investigating', 'bob@acme.test', 'INC-2'],
      [103, 'Payment webhook retries pile up', 2, 'Mitigated', 'carol@acme.test', 'INC-3'],
      [104, 'Seller dashboard shows blank page', 3, 'Mitigating', 'bob@acme.test', 'INC-4'],
      [105, 'Stale catalogue cache after deploy', 4, 'Open', 'erin@acme.test', 'INC-5'],
      [106, 'Email sender hits daily quota', 5, 'Investigating', null, 'INC-6'],
      [107, 'Mobile app login loop', 2, 'Mitigating', 'alice@acme.test', 'INC-7'],
      [108, 'Invoice PDF missing VAT line', 3, 'Post-mortem', 'carol@acme.test', 'INC-8'],
      [109, 'Warehouse stock sync delayed', 4, 'Investigating', 'dave@acme.test', 'INC-9'],
      [110, 'Promo codes double-applied at checkout', 3, 'Mitigating', 'bob@acme.test', 'INC-10'],
      [111, 'Search indexing lag', 4, 'Open', 'erin@acme.test', 'INC-11'],
      [112, 'Carrier label API timeouts', 3, 'Investigating', 'alice@acme.test', null],
    ]);
    expect(seed.incidents.find((incident) => incident.id === 111)!.description).toBe('Indexer falls behind during peak.\nSee dashboards.');
    expect(seed.users.map((user) => `${user.name} <${user.email}>`)).toEqual([
      'Alice Martin <alice@acme.test>',
      'Bob Chen <bob@acme.test>',
      'Carol Diaz <carol@acme.test>',
      'Dave Okafor <dave@acme.test>',
      'Erin Walsh <erin@acme.test>',
    ]);
    expect(seed.priorities.map((priority) => [priority.name, priority.value, priority.needsPostmortem])).toEqual([
      ['P1', 1, true],
      ['P2', 2, true],
      ['P3', 3, false],
      ['P4', 4, false],
      ['P5', 5, false],
    ]);
  });

  it('rejects a seed whose incidents point at reference data it lacks', async () => {
    const seed = structuredClone(await fixtureSeed());
    seed.incidents[0]!.commander = 'mallory@acme.test';
    seed.incidents[1]!.jiraTicketKey = 'INC-1';
    expect(() => parseImpactSeed(seed)).toThrow(/unknown user mallory@acme.test/);
    expect(() => parseImpactSeed(seed)).toThrow(/duplicate jira_ticket_key INC-1/);
  });
});
