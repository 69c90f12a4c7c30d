import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type JsonRun } from '../support/cli.js';

const BIN = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `raidsync sandbox` as a user would, and returns the variables its export lines set once it says it is ready. */
async function startSandboxCommand(...args: string[]): Promise<{ env: Record<string, string>; exited: Promise<number | null>; stderr: () => string }> {
  expect(existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))), 'run `npm run build` first').toBe(true);
  const started = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  child = started;
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  // Two pipes, no order between them: ready once stderr says so and the last export line has arrived.
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stderr.includes('Ctrl-C stops the sandbox') && /^export RAIDSYNC_DB=.*\n/m.test(stdout)) resolve();
    };
    started.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      check();
    });
    started.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      check();
    });
    void exited.then((code) => reject(new Error(`raidsync sandbox exited ${code}: ${stderr}`)));
  });
  const env: Record<string, string> = {};
  for (const line of stdout.trimEnd().split('\n')) {
    const [, key, value] = /^export (RAIDSYNC_[A-Z_]+)='([^']*)'$/.exec(line) ?? [];
    expect(key, line).toBeDefined();
    env[key as string] = value as string;
  }
  return { env, exited, stderr: () => stderr };
}

describe('raidsync sandbox', () => {
  it('prints the exports that point raidsync at seeded emulators, and stops cleanly on SIGINT', async () => {
    const { env, exited, stderr } = await startSandboxCommand();
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['RAIDSYNC_JIRA_URL', 'RAIDSYNC_IMPACT_URL', 'RAIDSYNC_IMPACT_TOKEN', 'RAIDSYNC_CONFIG', 'RAIDSYNC_DB']));
    const diff = await runCli(['diff', '--json'], { env, cwd: mkdtempSync(join(tmpdir(), 'raidsync-sandbox-user-')) });
    expect(diff.exitCode).toBe(0);
    const body = diff.json<JsonRun>();
    expect(body.pairs).toBe(11);
    expect(body.changes.length).toBeGreaterThan(0);
    child?.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr()).toContain('SIGINT received');
    // The temporary config and state went with it.
    expect(existsSync(dirname(env.RAIDSYNC_CONFIG as string))).toBe(false);
  });

  it('--pairs N generates N pairs, every tenth drifted; SIGTERM stops it', async () => {
    const { env, exited } = await startSandboxCommand('--pairs', '40');
    const body = (await runCli(['diff', '--json'], { env, cwd: mkdtempSync(join(tmpdir(), 'raidsync-sandbox-user-')) })).json<JsonRun>();
    expect(body.pairs).toBe(40);
    expect(new Set(body.changes.map((change) => change.incident))).toEqual(new Set([10, 20, 30, 40]));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad --pairs with exit 2', async () => {
    const result = await runCli(['sandbox', '--pairs', 'many'], { env: {}, cwd: tmpdir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--pairs takes a whole number ≥ 1, not "many"');
  });
});
