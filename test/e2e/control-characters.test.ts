import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { configureRetries } from '../../src/net/retry.js';
import { startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const BIN = resolve(import.meta.dirname, '../../bin/raidsync.js');

// A clipboard write (OSC 52), a screen clear, an OSC 8 link and a C1 CSI, as hostile data would carry them.
const HOSTILE = 'Pay \u001b]52;c;ZXZpbA==\u0007 clear\u001b[2J link\u001b]8;;http://evil.test\u0007here\u001b]8;;\u0007 c1\u009b31m';
const SHOWN = 'Pay \\x1b]52;c;ZXZpbA==\\x07 clear\\x1b[2J link\\x1b]8;;http://evil.test\\x07here\\x1b]8;;\\x07 c1\\x9b31m';
// Any control character but newline and tab reaching the terminal.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let world: World;
afterEach(async () => {
  await world?.close();
});

beforeAll(() => {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/cli/main.js'))) throw new Error('build first: npm run build (npm test does)');
});

/** The built CLI, as a person runs it, without colour: whatever control character is in its output came from data. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RAIDSYNC_')));
  const child = spawn(process.execPath, [BIN, ...args], { cwd: world.cwd, env: { ...env, ...world.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('control characters from the services are shown escaped; JSON keeps them exact', () => {
  it('titles and summaries in the diff table and its JSON', async () => {
    world = await startWorld();
    expect([0, 4]).toContain((await world.run('reconcile', '--quiet')).exitCode);
    world.sandbox.impact.update(105, { title: HOSTILE });
    world.sandbox.jira.editAsUser('INC-6', '5b10ac8d82e05b22cc7d4e02', { summary: `INC-6 ${HOSTILE}` });

    const table = await cli('diff');
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(RAW_CONTROL);
    expect(table.stdout).toContain('\\x1b]52;c;ZXZpbA==');
    expect(table.stdout).toContain('\\x9b31m');

    const json = await cli('diff', '--json');
    const changes = (JSON.parse(json.stdout) as { changes: Array<{ incident: number; field: string; from: string | null; to: string | null }> }).changes;
    expect(changes).toContainEqual(expect.objectContaining({ incident: 105, field: 'title', to: HOSTILE }));
    expect(changes).toContainEqual(expect.objectContaining({ incident: 106, field: 'title', from: `INC-6 ${HOSTILE}` }));
  });

  it('a server message in the error line, in status (replayed from the state file) and in doctor', async () => {
    world = await startWorld();
    expect([0, 4]).toContain((await world.run('reconcile', '--quiet')).exitCode);

    world.sandbox.jira.faults.next(1, { status: 401, body: { errorMessages: [HOSTILE], errors: {} } });
    const failed = await cli('reconcile');
    expect(failed.code, failed.stderr).toBe(3);
    expect(failed.stderr).not.toMatch(RAW_CONTROL);
    expect(failed.stderr).toContain(SHOWN);

    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).not.toMatch(RAW_CONTROL);
    expect(status.stdout).toContain(SHOWN);
    expect(JSON.stringify(JSON.parse((await cli('status', '--json')).stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1));

    world.sandbox.jira.faults.next(1, { status: 401, body: { errorMessages: [HOSTILE], errors: {} } });
    const doctor = await cli('doctor');
    expect(doctor.stdout).not.toMatch(RAW_CONTROL);
    expect(doctor.stdout).toContain(SHOWN);
    world.sandbox.jira.faults.next(1, { status: 401, body: { errorMessages: [HOSTILE], errors: {} } });
    const checks = (JSON.parse((await cli('doctor', '--json')).stdout) as { checks: Array<{ detail: string }> }).checks;
    expect(checks.some((check) => check.detail.includes(HOSTILE))).toBe(true);
  });
});
