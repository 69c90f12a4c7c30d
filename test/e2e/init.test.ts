import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { runCli, startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const SECRETS = {
  RAIDSYNC_JIRA_API_TOKEN: SANDBOX_CREDENTIALS.jiraApiToken,
  RAIDSYNC_IMPACT_TOKEN: SANDBOX_CREDENTIALS.impactToken,
  RAIDSYNC_IMPACT_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.webhookSecret,
};

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'raidsync-init-'));
});

const init = (...args: string[]) => runCli(['init', ...args], { env: {}, cwd });

describe('init', () => {
  it('writes a commented raidsync.config.yaml, readable only by its owner, with no secret in it', async () => {
    const result = await init();
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^wrote \.\/raidsync\.config\.yaml\n/);
    expect(result.stdout).toContain('RAIDSYNC_JIRA_API_TOKEN');
    const path = join(cwd, 'raidsync.config.yaml');
    const text = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Every setting is explained: more comment lines than settings, each secret pointed at its variable.
    const comments = text.split('\n').filter((line) => /^\s*#/.test(line)).length;
    const settings = text.split('\n').filter((line) => /^\s*[a-zA-Z]+:\s*\S/.test(line)).length;
    expect(comments).toBeGreaterThan(settings);
    for (const variable of Object.keys(SECRETS)) expect(text).toContain(`set ${variable}`);
    expect(text).toMatch(/^\s+preset: seed$/m);
    expect(text).not.toMatch(/^\s*(apiToken|pat|token|webhookSecret):/m);
  });

  it('loads with --config once the secrets are in the environment, and names the one missing', async () => {
    await init();
    const file = join(cwd, 'raidsync.config.yaml');
    const loaded = loadConfig({ file, env: SECRETS });
    expect(loaded.unknownKeys).toEqual([]);
    expect(loaded.config.maps.preset).toBe('seed');
    expect(loaded.config.jira.apiToken).toBe(SANDBOX_CREDENTIALS.jiraApiToken);
    const { RAIDSYNC_IMPACT_TOKEN: _left, ...withoutImpact } = SECRETS;
    expect(() => loadConfig({ file, env: withoutImpact })).toThrow(/RAIDSYNC_IMPACT_TOKEN/);
  });

  it('refuses to overwrite without --force (exit 2, file untouched), and overwrites with it', async () => {
    const path = join(cwd, 'raidsync.config.yaml');
    writeFileSync(path, 'my: settings\n');
    const refused = await init();
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('raidsync: ./raidsync.config.yaml already exists; pass --force to overwrite it\n');
    expect(readFileSync(path, 'utf8')).toBe('my: settings\n');
    const forced = await init('--force');
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('# raidsync configuration');
  });

  it('--config writes elsewhere', async () => {
    expect((await init('--config', 'etc-raidsync.yaml')).exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'etc-raidsync.yaml'), 'utf8')).toContain('# raidsync configuration');
  });
});

describe('the starter config against the sandbox', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('runs diff with only URLs and secrets from the environment', async () => {
    await runCli(['init'], { env: {}, cwd: world.cwd });
    const result = await world.run('diff', '--config', join(world.cwd, 'raidsync.config.yaml'), '--json');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.json<{ pairs: number }>().pairs).toBe(11);
  });
});
