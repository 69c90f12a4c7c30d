import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startWorld, type JsonRun, type World } from '../support/cli.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const statusOn = (options: { columns?: number; tty: boolean; env?: Record<string, string> }) =>
  runCli(['status'], { env: { ...world.env, TERM: 'xterm-256color', NO_COLOR: '1', ...options.env }, cwd: world.cwd, tty: options.tty, ...(options.columns !== undefined && { columns: options.columns }) });

describe('status after a reconcile', () => {
  it('"pairs now" is the drift the run left: the pairs with a change it did not apply', async () => {
    const reconcile = (await world.run('reconcile', '--json')).json<JsonRun>();
    const left = new Set(reconcile.changes.filter((change) => change.outcome !== 'applied').map((change) => change.incident)).size;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(new Set(reconcile.changes.map((change) => change.incident)).size);
    const status = await world.run('status');
    expect(status.stdout).toContain(`(${left} pairs now)`);
    await expect(world.run('status', '--json').then((r) => r.json<{ drift: number[] }>().drift)).resolves.toEqual([left]);
  });

  for (const columns of [80, 100]) {
    it(`fits a terminal of ${columns} columns, cutting with …`, async () => {
      await world.run('reconcile');
      const wide = await statusOn({ tty: false });
      expect(Math.max(...wide.stdout.split('\n').map((line) => [...line].length))).toBeGreaterThan(columns);
      const result = await statusOn({ columns, tty: true });
      expect(result.exitCode).toBe(0);
      for (const line of result.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(result.stdout).toContain('…');
      expect(result.stdout).toMatch(/^│ run +│ when/m);
    });
  }

  it('piped (the real binary), fits $COLUMNS when it is set, and has no limit when it is not', async () => {
    await world.run('reconcile');
    const bin = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));
    const piped = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [bin, 'status'], { cwd: world.cwd, env: { PATH: process.env.PATH ?? '', ...world.env, ...env } });
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
    expect(widest((await piped({ COLUMNS: '70' })).stdout)).toBeLessThanOrEqual(70);
    expect(widest((await piped({})).stdout)).toBeGreaterThan(70);
  });
});
