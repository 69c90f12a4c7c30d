import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { startWorld, type CliResult, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const { jiraEmail, jiraApiToken, impactToken, webhookSecret } = SANDBOX_CREDENTIALS;
const basic = Buffer.from(`${jiraEmail}:${jiraApiToken}`).toString('base64');
/** Every form a configured secret (Cloud: email and API token) could leak in: as is, and as the Basic header carries it. */
const FORBIDDEN = [jiraApiToken, impactToken, webhookSecret, basic];

/** The encoded forms an echo may carry a secret in: URL-encoded, base64 with and without padding, URL-safe base64. */
function encodings(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [encodeURIComponent(secret), base64, base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'), encodeURIComponent(base64)];
}
const ENCODED = [...[jiraApiToken, impactToken, webhookSecret].flatMap(encodings), encodeURIComponent(`Basic ${basic}`), basic.replace(/=+$/, '')].filter(
  (form) => !FORBIDDEN.includes(form),
);

/** A server that echoes the request back, credentials and all, as some proxies and error pages do. */
const ECHO = `Authorization: Basic ${basic}; Bearer ${impactToken}; token=${jiraApiToken}; secret=${webhookSecret}`;

let world: World;
let outputs: string[];
beforeEach(async () => {
  world = await startWorld();
  outputs = [];
});
afterEach(async () => {
  await world.close();
});

async function run(...args: string[]): Promise<CliResult> {
  const result = await world.run(...args);
  outputs.push(result.stdout, result.stderr);
  expect([0, 1, 2, 3, 4, 5]).toContain(result.exitCode);
  return result;
}

/** Every byte raidsync wrote: output, logs, plan files and the state file with its WAL. */
function everythingWritten(): string {
  const files = readdirSync(world.cwd).map((name) => readFileSync(join(world.cwd, name)).toString('latin1'));
  return [...outputs, ...files].join('\n');
}

function expectNoSecret() {
  const text = everythingWritten();
  for (const secret of [...FORBIDDEN, ...ENCODED]) expect(text.includes(secret), `leaked ${secret}`).toBe(false);
}

const ALL_FLAGS = [['--json'], ['--verbose'], ['--log-format', 'json', '--verbose']];

describe('secrets never leave raidsync, on any error path', () => {
  it('401 from JIRA and from FireFighter whose bodies echo the credentials', async () => {
    for (const flags of ALL_FLAGS) {
      world.sandbox.jira.faults.next(1, { status: 401, body: { errorMessages: [ECHO], errors: {} } });
      expect((await run('reconcile', ...flags)).exitCode).toBe(3);
      world.sandbox.impact.faults.next(1, { status: 401, body: { errors: [{ code: 'not_authenticated', detail: ECHO, attr: null }] } });
      expect((await run('reconcile', ...flags)).exitCode).toBe(3);
    }
    expectNoSecret();
  });

  it('500s that echo the request, on reads and on writes, into output, logs, the plan file and the state file', async () => {
    for (const flags of ALL_FLAGS) {
      world.sandbox.jira.faults.next(5, { status: 500, body: { errorMessages: [ECHO], errors: { summary: ECHO } }, matcher: { method: 'PUT' } });
      world.sandbox.impact.faults.next(3, { status: 500, headers: { 'Content-Type': 'application/json' }, body: { errors: [{ code: 'error', detail: ECHO, attr: null }] }, matcher: { method: 'POST' } });
      await run('reconcile', '--conflict', 'jira', ...flags);
      world.sandbox.jira.faults.next(5, { status: 500, body: ECHO });
      await run('diff', '--out', 'plan.json', ...flags);
      world.sandbox.jira.faults.clear();
      expect((await run('diff', '--out', 'plan.json', ...flags)).exitCode).toBe(0);
      await run('status', ...flags);
    }
    expect(existsSync(join(world.cwd, 'plan.json'))).toBe(true);
    expectNoSecret();
  });

  it('secrets echoed URL-encoded or in base64 (padded or not, URL-safe, the Basic header URL-encoded), into output, logs and the state file', async () => {
    const echo = ENCODED.join(' ');
    for (const flags of ALL_FLAGS) {
      world.sandbox.jira.faults.next(5, { status: 500, body: { errorMessages: [echo], errors: { summary: echo } }, matcher: { method: 'PUT' } });
      world.sandbox.impact.faults.next(3, { status: 500, headers: { 'Content-Type': 'application/json' }, body: { errors: [{ code: 'error', detail: echo, attr: null }] }, matcher: { method: 'POST' } });
      await run('reconcile', '--conflict', 'jira', ...flags);
      world.sandbox.jira.faults.next(1, { status: 401, body: { errorMessages: [echo], errors: {} } });
      expect((await run('reconcile', ...flags)).exitCode).toBe(3);
      await run('status', ...flags);
    }
    expect(ENCODED.length).toBeGreaterThanOrEqual(14);
    expectNoSecret();
  });

  it('network errors to URLs that carry a secret in their query', async () => {
    for (const flags of ALL_FLAGS) {
      world.env.RAIDSYNC_IMPACT_URL = `http://127.0.0.1:1/?token=${impactToken}`;
      expect((await run('reconcile', ...flags)).exitCode).toBe(3);
      world.env.RAIDSYNC_IMPACT_URL = world.sandbox.env.RAIDSYNC_IMPACT_URL as string;
      world.sandbox.jira.faults.resetConnection(10);
      expect((await run('reconcile', ...flags)).exitCode).toBe(3);
    }
    expectNoSecret();
  });

  it('credentials written into a URL are refused without being repeated', async () => {
    const url = new URL(world.sandbox.env.RAIDSYNC_JIRA_URL as string);
    url.username = 'bot';
    url.password = jiraApiToken;
    world.env.RAIDSYNC_JIRA_URL = url.toString();
    const result = await run('reconcile', '--verbose');
    expect(result.exitCode).toBe(2);
    // No config file in this world: that is said first, then the problem.
    expect(result.stderr).toMatch(/^raidsync: no config file found .*\n {2}invalid configuration: jira\.url must not carry credentials/);
    expectNoSecret();
  });

  it('an invalid config file holding secrets: the error names the key, never the value', async () => {
    world.env.RAIDSYNC_JIRA_DEPLOYMENT = `cloud-${jiraApiToken}`;
    const result = await run('reconcile', '--verbose');
    expect(result.exitCode).toBe(2);
    expectNoSecret();
  });
});
