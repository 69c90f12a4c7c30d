import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startWorld, type World } from '../support/cli.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

interface DoctorJson {
  exitCode: number;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

describe('config strictness, end to end', () => {
  it('a misspelled key fails doctor with "did you mean", and is a warning for diff', async () => {
    writeFileSync(join(world.cwd, 'raidsync.config.yaml'), 'sync:\n  enabeld: false\n');
    const doctor = await world.run('doctor', '--json');
    const config = doctor.json<DoctorJson>().checks.find((check) => check.name === 'config is valid');
    expect(config).toMatchObject({ ok: false });
    expect(config?.detail).toContain(`from ${join(world.cwd, 'raidsync.config.yaml')}`);
    expect(config?.detail).toContain('unknown config key sync.enabeld; did you mean sync.enabled?');
    expect(doctor.exitCode).toBe(2);
    const diff = await world.run('diff');
    expect(diff.exitCode).toBe(0);
    expect(diff.stderr).toBe('raidsync: warning: unknown config key sync.enabeld; did you mean sync.enabled? (ignored)\n');
  });

  it('doctor names the config file it used, or says there was none', async () => {
    const none = (await world.run('doctor', '--json')).json<DoctorJson>();
    expect(none.checks[0]).toMatchObject({ name: 'config is valid', ok: true, detail: expect.stringMatching(/^no config file, the environment only: project INC/) });
    writeFileSync(join(world.cwd, 'raidsync.config.yaml'), 'sync:\n  conflict: impact\n');
    const found = (await world.run('doctor', '--json')).json<DoctorJson>();
    expect(found.checks[0]).toMatchObject({ ok: true, detail: expect.stringMatching(new RegExp(`^from ${join(world.cwd, 'raidsync.config.yaml')}: project INC`)) });
  });

  it('diff, status and doctor run without the webhook secret; reconcile says it needs it, before any write', async () => {
    const { RAIDSYNC_IMPACT_WEBHOOK_SECRET: _secret, ...env } = world.env;
    const run = (...args: string[]) => runCli(args, { env, cwd: world.cwd });
    expect((await run('diff')).exitCode).toBe(0);
    expect((await run('status')).exitCode).toBe(0);
    const doctor = (await run('doctor', '--json')).json<DoctorJson>();
    expect(doctor.checks[0]).toMatchObject({ name: 'config is valid', ok: true });
    expect(doctor.checks.find((check) => check.name === 'FireFighter accepts the webhook signature')?.detail).toMatch(/^not checked: impact\.webhookSecret is not set/);
    const reconcile = await run('reconcile');
    expect(reconcile.exitCode).toBe(2);
    expect(reconcile.stderr).toContain('impact.webhookSecret is required to write to FireFighter');
    expect(world.sandbox.jira.writes).toEqual([]);
    expect(world.sandbox.impact.webhooks).toEqual([]);
  });
});
