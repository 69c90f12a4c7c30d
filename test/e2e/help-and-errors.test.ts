import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { runCli, startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const COMMANDS = ['diff', 'push', 'pull', 'reconcile', 'apply', 'show', 'status', 'doctor', 'init', 'demo'];

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

describe('--version', () => {
  it('the binary answers it before loading the CLI, with what the CLI itself prints', async () => {
    const bin = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));
    const fast = await promisify(execFile)(bin, ['--version']);
    const cli = await runCli(['--version'], { env: {}, cwd: process.cwd() });
    expect(cli.exitCode).toBe(0);
    expect(fast.stdout).toBe(cli.stdout);
    expect(fast.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('help', () => {
  it.each(COMMANDS)('%s --help: a description and a real example', async (name) => {
    const result = await world.run(name, '--help');
    expect(result.exitCode).toBe(0);
    const [usage, blank, description] = result.stdout.split('\n');
    expect(usage).toMatch(new RegExp(`^Usage: raidsync ${name}\\b`));
    expect(blank).toBe('');
    // A sentence that says what the command does, not the options list.
    expect(description).toMatch(/^[A-Z][\w-]+ .{30,}/);
    const examples = result.stdout.split('\nExamples:\n')[1]?.split('\n').filter(Boolean) ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(example).toMatch(/^  \$ raidsync [a-z]+/);
    expect(examples.some((example) => example.startsWith(`  $ raidsync ${name}`))).toBe(true);
  });

  it('the program help lists every command with its summary', async () => {
    const result = await world.run('--help');
    for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`\\n  ${name}\\b.* {2,}\\w`));
  });

  it('an unknown command suggests the closest one and exits 2', async () => {
    const result = await world.run('reconcil');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown command 'reconcil'");
    expect(result.stderr).toContain('Did you mean reconcile?');
  });

  it('an unknown option suggests the closest one and exits 2', async () => {
    const result = await world.run('reconcile', '--conflit', 'skip');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Did you mean --conflict?');
    expect(world.sandbox.jira.writes).toEqual([]);
  });
});

describe('errors: one line with the fix; --verbose adds the detail, never a secret', () => {
  it('refused credentials name the variables to check', async () => {
    world.env.RAIDSYNC_JIRA_API_TOKEN = 'wrong-token-value';
    const result = await world.run('diff');
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^raidsync: JIRA returned 401 for .*; check RAIDSYNC_JIRA_EMAIL and RAIDSYNC_JIRA_API_TOKEN .*raidsync doctor/),
    ]);
  });

  it('--verbose adds endpoint, status and category, and still no secret', async () => {
    world.env.RAIDSYNC_JIRA_API_TOKEN = 'wrong-token-value';
    const result = await world.run('diff', '--verbose');
    expect(result.exitCode).toBe(3);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(/ServiceError: service jira, endpoint (GET|POST) \/rest\/api\/\S+, status 401, code none, category auth/);
    expect(result.stderr + result.stdout).not.toContain('wrong-token-value');
    expect(result.stderr).not.toContain(world.env.RAIDSYNC_IMPACT_TOKEN);
  });

  it('an unreachable service names the URL variable, and says nothing was written', async () => {
    world.env.RAIDSYNC_IMPACT_URL = 'http://127.0.0.1:9';
    const result = await world.run('reconcile');
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^raidsync: FireFighter could not be reached .*; check RAIDSYNC_IMPACT_URL and that the host is reachable from here; nothing was written$/),
    ]);
  });
});
