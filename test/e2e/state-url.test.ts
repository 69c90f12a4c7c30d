import { afterEach, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World;
afterEach(async () => {
  await world.close();
});

it('a PostgreSQL state that cannot be reached exits 3 naming it, without its password, and nothing is written', async () => {
  world = await startWorld({ backend: 'sqlite' });
  world.env.RAIDSYNC_STATE_URL = 'postgres://sync:secret-pw-77@127.0.0.1:9/ops';
  const result = await world.run('reconcile');
  expect(result.exitCode).toBe(3);
  expect(result.stderr).toContain('State database postgres://sync:***@127.0.0.1:9/ops (schema raidsync) could not be used: ');
  expect(result.stderr).toContain('ECONNREFUSED');
  expect(result.stderr + result.stdout).not.toContain('secret-pw-77');
  expect(world.sandbox.jira.writes).toEqual([]);
  expect(world.sandbox.impact.webhooks).toEqual([]);
});

it('a state URL of no known kind exits 2 naming the setting', async () => {
  world = await startWorld({ backend: 'sqlite' });
  world.env.RAIDSYNC_STATE_URL = 'mysql://db/ops';
  const result = await world.run('diff');
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain('state.url must be a postgres:// or sqlite:// URL (from RAIDSYNC_STATE_URL)');
});
