import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMPACT_STATUSES } from '../../../src/impact/incident.js';
import { configSchema } from '../../../src/config/schema.js';
import type { SyncField } from '../../../src/sync/fields.js';
import { LoopGuards } from '../../../src/sync/decide/loop-guard.js';
import { resolveMaps } from '../../../src/sync/decide/maps/resolve.js';
import type { FieldMaps } from '../../../src/sync/decide/maps/types.js';
import type { BaseValues, Pair } from '../../../src/sync/decide/pair.js';
import { plan } from '../../../src/sync/decide/planner.js';
import { withDirectionSwitches } from '../../../src/sync/decide/switches.js';
import { incident, issue } from '../../support/records.js';

const settings = (impact: Record<string, unknown> = {}, maps: Record<string, unknown> = { preset: 'seed' }) =>
  configSchema.parse({ jira: { url: 'http://127.0.0.1:1', project: 'INC' }, impact: { url: 'http://127.0.0.1:2', token: 't', ...impact }, maps });
const mapsOf = (impact?: Record<string, unknown>, maps?: Record<string, unknown>): FieldMaps => {
  const config = settings(impact, maps);
  return resolveMaps(config.maps, config.impact);
};

function pull(pair: Pair, maps: FieldMaps, base: Partial<Record<SyncField, BaseValues>> = {}, fields: SyncField[] = ['status']) {
  const planned = plan({
    command: 'pull',
    pairs: [pair],
    fields,
    maps,
    directory: new Map(),
    bases: new Map([[pair.incident.id, new Map(Object.entries(base) as [SyncField, BaseValues][])]]),
    guards: new LoopGuards([]),
    conflict: 'jira',
    now: 0,
    loopWindowMs: 0,
  });
  return planned.changes;
}

describe('impact.webhookMap: pulls in the JIRA names FireFighter knows', () => {
  it("defaults to FireFighter's code map, whatever maps.preset: the seed preset's Resolved is sent as Reporter validation, from JIRA's status at the base", () => {
    const maps = mapsOf();
    expect(maps.webhook.preset).toBe('firefighter');
    const [change] = pull({ incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Resolved' }) }, maps, { status: { impact: 'Mitigating', jira: 'In Progress' } });
    expect(change).toMatchObject({ outcome: 'planned', target: 'Mitigated', webhook: { fromString: 'In Progress', toString: 'Reporter validation' } });
  });

  it.each(['Investigating', 'Post-mortem'] as const)('a pull to %s, which that map cannot produce, is blocked before anything is sent, naming the setting', (target) => {
    const jiraStatus = target === 'Investigating' ? 'Reopened' : 'Closed';
    const [change] = pull({ incident: incident({ status: 'Mitigated' }), issue: issue({ status: jiraStatus }) }, mapsOf(), { status: { impact: 'Mitigated', jira: 'Resolved' } });
    expect(change).toMatchObject({ outcome: 'blocked', target, category: 'mapping' });
    expect(change?.webhook).toBeUndefined();
    expect(change?.reason).toContain(`cannot set Impact status "${target}"`);
    expect(change?.reason).toContain('impact.webhookMap');
  });

  it('with writes to FireFighter off, such a pull is skipped with the switch named, not blocked', () => {
    const changes = pull({ incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'Reopened' }) }, mapsOf(), { status: { impact: 'Mitigated', jira: 'Resolved' } });
    const [change] = withDirectionSwitches({ command: 'pull', pairs: 1, changes, agreed: [], errors: [] }, { impactToJira: true, jiraToImpact: false }).changes;
    expect(change?.outcome).toBe('skipped');
    expect(change?.reason).toMatch(/^writes to FireFighter \(JIRA → Impact\) disabled by configuration \(sync.directions.jiraToImpact\); FireFighter's webhook cannot set/);
  });

  it('the seed webhook map sends the seed names as they are', () => {
    const [change] = pull({ incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Reopened' }) }, mapsOf({ webhookMap: 'seed' }), { status: { impact: 'Mitigating', jira: 'In Progress' } });
    expect(change).toMatchObject({ outcome: 'planned', target: 'Investigating', webhook: { fromString: 'In Progress', toString: 'Reopened' } });
  });

  it('an entry of impact.webhookStatuses adds a name FireFighter was taught', () => {
    const [change] = pull(
      { incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Reopened' }) },
      mapsOf({ webhookStatuses: { Triage: 'Investigating' } }),
      { status: { impact: 'Mitigating', jira: 'In Progress' } },
    );
    expect(change).toMatchObject({ outcome: 'planned', webhook: { toString: 'Triage' } });
  });

  it("JIRA's own name is sent when the webhook map knows it; another name for the same Impact status otherwise", () => {
    const maps = mapsOf({}, { preset: 'firefighter' });
    const own = pull({ incident: incident({ status: 'Mitigating' }), issue: issue({ status: 'Pending resolution' }) }, maps, { status: { impact: 'Mitigating', jira: 'in progress' } });
    expect(own[0]?.webhook).toEqual({ fromString: 'in progress', toString: 'Pending resolution' });
  });

  it("a close goes only from a JIRA status FireFighter's map knows (its CLOSED guard): without a base, or from an unknown one, it is blocked", () => {
    const maps = mapsOf({}, { preset: 'firefighter' });
    const pair = { incident: incident({ status: 'Mitigated' }), issue: issue({ status: 'Closed' }) };
    expect(pull(pair, maps, { status: { impact: 'Mitigated', jira: 'Reporter validation' } })[0]).toMatchObject({
      outcome: 'planned',
      webhook: { fromString: 'Reporter validation', toString: 'Closed' },
    });
    const [unknown] = pull(pair, maps);
    expect(unknown).toMatchObject({ outcome: 'blocked' });
    expect(unknown?.reason).toContain('no base yet');
    const [code] = pull(pair, maps, { status: { impact: 'Mitigated', jira: 'Code Review' } });
    expect(code?.reason).toContain('"Code Review"');
  });

  it('priority pulls are not affected: they go as the level', () => {
    const [change] = pull({ incident: incident({ priority: 3 }), issue: issue({ priority: 'Highest' }) }, mapsOf(), {}, ['priority']);
    expect(change).toMatchObject({ outcome: 'planned', target: '1' });
    expect(change?.webhook).toBeUndefined();
  });
});

describe('property: what FireFighter is sent, it turns into the planned status', () => {
  it.each([
    ['seed', 'firefighter'],
    ['seed', 'seed'],
    ['firefighter', 'firefighter'],
  ] as const)('maps.preset %s, impact.webhookMap %s: a planned status pull names a JIRA status the webhook map carries to its target, a close only from one it knows', (preset, webhookMap) => {
    const maps = mapsOf({ webhookMap }, { preset });
    const jiraNames = [...new Set([...Object.keys(maps.jiraToImpactStatus), ...Object.keys(maps.webhook.statuses), 'Code Review'])];
    fc.assert(
      fc.property(fc.constantFrom(...IMPACT_STATUSES), fc.constantFrom(...jiraNames), fc.option(fc.constantFrom(...jiraNames), { nil: undefined }), (impactStatus, jiraStatus, previous) => {
        const base = previous === undefined ? {} : { status: { impact: impactStatus, jira: previous } };
        for (const change of pull({ incident: incident({ status: impactStatus }), issue: issue({ status: jiraStatus }) }, maps, base)) {
          if (change.outcome !== 'planned') continue;
          expect(maps.webhook.statuses[change.webhook!.toString]).toBe(change.target);
          expect(change.webhook!.fromString).toBe(previous ?? null);
          if (change.target === 'Closed') expect(maps.webhook.statuses[previous!]).toBeDefined();
        }
      }),
    );
  });
});
