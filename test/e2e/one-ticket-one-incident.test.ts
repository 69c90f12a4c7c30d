import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchWorld } from '../../src/bench/world.js';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_DEMO_CONFIG } from '../../src/sandbox/sandbox.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

type Listed = Record<string, unknown> & { id: number };
const LIST = '/api/v2/firefighter/incidents/';

/**
 * 20 pairs, every one drifted; FireFighter's next list is its own, as `edit` reshapes it (its database keeps one
 * ticket per incident, so a hostile list is served as the answer it would be).
 */
async function seededWorld(edit: (incidents: Listed[]) => Listed[]): Promise<World> {
  const seeds = benchWorld(20, 1);
  world = await startWorld({ jiraSeed: seeds.jira, impactSeed: seeds.impact });
  const config = join(world.cwd, 'raidsync.config.yaml');
  writeFileSync(config, SANDBOX_DEMO_CONFIG);
  world.env.RAIDSYNC_CONFIG = config;
  const served = await fetch(`${world.env.RAIDSYNC_IMPACT_URL}${LIST}?order_by=id`, { headers: { Authorization: `Bearer ${world.env.RAIDSYNC_IMPACT_TOKEN}` } });
  const listed = edit((await served.json()) as Listed[]);
  world.sandbox.impact.faults.next(2, { status: 200, body: listed, matcher: { method: 'GET', path: LIST } });
  return world;
}

describe('one ticket, one incident', () => {
  it('a ticket named by two incidents is written by neither; each is reported with the other, exit 4, run after run', async () => {
    const w = await seededWorld((incidents) => incidents.map((incident) => (incident.id === 8 ? { ...incident, jira_ticket_key: 'INC-7' } : incident)));
    for (let run = 0; run < 2; run++) {
      const result = await w.run('reconcile', '--json');
      expect(result.exitCode).toBe(4);
      const report = result.json<JsonRun>();
      const message = 'INC-7 is named by incidents 7 and 8: neither is synced until one of them lets go';
      expect(report.errors).toEqual([
        { incident: 7, issue: 'INC-7', message },
        { incident: 8, issue: 'INC-7', message },
      ]);
      expect(report.changes.filter((change) => change.issue === 'INC-7' || change.incident === 7 || change.incident === 8)).toEqual([]);
      expect(w.sandbox.jira.writes.filter((write) => write.key === 'INC-7' || write.key === 'INC-8')).toEqual([]);
    }
    // The other pairs sync as ever.
    expect(w.sandbox.jira.writes.some((write) => write.key === 'INC-9')).toBe(true);
  });

  it('an incident FireFighter lists twice is written by neither row', async () => {
    const w = await seededWorld((incidents) => incidents.flatMap((incident) => (incident.id === 9 ? [incident, { ...incident, title: 'Incident 9, as a second row says' }] : [incident])));
    const result = await w.run('reconcile', '--json');
    expect(result.exitCode).toBe(4);
    expect(result.json<JsonRun>().errors).toEqual([
      { incident: 9, issue: 'INC-9', message: 'incident 9 is listed 2 times by FireFighter (naming INC-9): not synced until it is listed once' },
    ]);
    expect(w.sandbox.jira.writes.filter((write) => write.key === 'INC-9')).toEqual([]);
    expect(w.sandbox.jira.writes.some((write) => write.key === 'INC-10')).toBe(true);
  });
});
