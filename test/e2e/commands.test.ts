import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { loadBases } from '../../src/state/bases.js';
import { acquireLock } from '../../src/state/lock.js';
import { describeEachBackend } from '../support/backends.js';
import { startWorld, type World, type JsonRun } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

describeEachBackend('raidsync commands', (backend) => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld({ backend });
  });
  afterEach(async () => {
    await world.close();
  });

  const change = (run: JsonRun, incident: number, field: string) => run.changes.find((c) => c.incident === incident && c.field === field);

  describe('diff', () => {
    it('prints one block per drifted pair and a summary, and writes nothing', async () => {
      const result = await world.run('diff');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('#110 P3 Promo codes double-applied at checkout ⇄ INC-10');
      expect(result.stdout).toMatch(/\d+ of 11 pairs drift: /);
      expect(world.sandbox.jira.writes).toEqual([]);
      expect(world.sandbox.impact.webhooks).toEqual([]);
    });

    it('--json prints the contract object', async () => {
      const run = (await world.run('diff', '--json')).json<JsonRun>();
      expect(run).toMatchObject({ command: 'diff', dryRun: true, pairs: 11, errors: [] });
      expect(change(run, 110, 'title')).toEqual({
        incident: 110,
        issue: 'INC-10',
        field: 'title',
        direction: 'impact_to_jira',
        from: 'Promo codes applied twice',
        to: 'Promo codes double-applied at checkout',
        outcome: 'planned',
        reason: 'no base yet; title flows Impact → JIRA only',
      });
      // Equivalent values are in sync: Investigating vs "To Do", CRLF and trailing blanks in a description.
      expect(change(run, 102, 'status')).toBeUndefined();
      expect(change(run, 111, 'description')).toBeUndefined();
    });

    it('--exit-code exits 1 on drift; --incident and --fields narrow the plan', async () => {
      expect((await world.run('diff', '--exit-code', '--quiet')).exitCode).toBe(1);
      const narrowed = (await world.run('diff', '--json', '--incident', '110', '--fields', 'title')).json<JsonRun>();
      expect(narrowed.pairs).toBe(1);
      expect(narrowed.changes.map((c) => `${c.incident}:${c.field}`)).toEqual(['110:title']);
      expect((await world.run('diff', '--exit-code', '--incident', '101', '--fields', 'title')).exitCode).toBe(0);
    });
  });

  describe('writing commands', () => {
    it('push makes JIRA match Impact and records the base; a second diff no longer shows those fields', async () => {
      const run = (await world.run('push', '--json', '--fields', 'title,commander,priority')).json<JsonRun>();
      expect(change(run, 110, 'title')?.outcome).toBe('applied');
      expect(world.sandbox.jira.issue('INC-10')?.summary).toBe('Promo codes double-applied at checkout');
      expect(world.sandbox.jira.issue('INC-4')?.priorityId).toBe('3');
      expect(world.sandbox.jira.issue('INC-5')?.assigneeAccountId).toBe('5b10ac8d82e05b22cc7d4e05');
      const again = (await world.run('diff', '--json', '--fields', 'title,commander,priority')).json<JsonRun>();
      expect(again.changes.filter((c) => c.outcome === 'planned')).toEqual([]);
      expect(world.sandbox.impact.webhooks).toEqual([]);
    });

    it('pull brings a JIRA edit into Impact through the signed webhook and reads it back', async () => {
      await world.run('reconcile', '--fields', 'priority');
      world.sandbox.jira.editAsUser('INC-6', 'erin', { priority: 'High' });
      const run = (await world.run('pull', '--json', '--fields', 'priority')).json<JsonRun>();
      expect(change(run, 106, 'priority')).toMatchObject({ direction: 'jira_to_impact', from: 'P5', to: 'P2', outcome: 'applied' });
      expect(world.sandbox.impact.incident(106)?.priority).toBe(2);
      expect(world.sandbox.jira.writes).toHaveLength(1);
    });

    it('--dry-run plans, writes nowhere, and leaves the sync state as it was', async () => {
      const before = await bases(world);
      const run = (await world.run('reconcile', '--dry-run', '--json')).json<JsonRun>();
      expect(run.dryRun).toBe(true);
      expect(run.changes.every((c) => c.outcome !== 'applied')).toBe(true);
      expect(world.sandbox.jira.writes).toEqual([]);
      expect(world.sandbox.impact.webhooks).toEqual([]);
      expect(await bases(world)).toEqual(before);
    });
  });

  describe('errors and exit codes', () => {
    it('bad configuration exits 2 naming the key', async () => {
      world.env.RAIDSYNC_JIRA_URL = 'not a url';
      const result = await world.run('diff');
      expect(result.exitCode).toBe(2);
      // This world has no config file: that is said first, then the key.
      expect(result.stderr).toMatch(/^ {2}invalid configuration: jira\.url .*RAIDSYNC_JIRA_URL/m);
    });

    it('an unreachable service exits 3', async () => {
      world.env.RAIDSYNC_IMPACT_URL = 'http://127.0.0.1:9';
      const result = await world.run('reconcile');
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain('FireFighter could not be reached');
      expect(world.sandbox.jira.writes).toEqual([]);
    });

    it('wrong credentials exit 3 without printing them', async () => {
      world.env.RAIDSYNC_JIRA_API_TOKEN = 'wrong-token-value';
      const result = await world.run('diff');
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain('JIRA returned 401');
      expect(result.stderr + result.stdout).not.toContain('wrong-token-value');
    });

    it.runIf(backend === 'sqlite')('a state file that is not SQLite is refused with exit 2 and left untouched', async () => {
      writeFileSync(world.env.RAIDSYNC_DB as string, 'my notes, not a database\n');
      const result = await world.run('diff');
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('is not a SQLite database');
    });

    it('a second run while another holds the lock exits 5 naming the holder', async () => {
      // The holder keeps its connection open, as a running raidsync does (PostgreSQL frees the lock of a closed session).
      const state = await world.openState();
      await acquireLock(state.db, { pid: 1, host: 'runner-a', now: new Date() });
      const result = await world.run('reconcile');
      await state.close();
      expect(result.exitCode).toBe(5);
      expect(result.stderr).toContain('pid 1 on runner-a');
      expect(world.sandbox.jira.writes).toEqual([]);
    });

    it('an unknown flag exits 2 and suggests the closest one', async () => {
      const result = await world.run('diff', '--dryrun');
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('--dry-run');
    });
  });
});

async function bases(world: World) {
  const state = await world.openState();
  try {
    return await loadBases(state.db);
  } finally {
    await state.close();
  }
}
