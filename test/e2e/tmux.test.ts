import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const BIN = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
if (!HAS_TMUX) console.warn('tmux.test.ts skipped: tmux is not installed (apt-get install -y tmux; .ci/run installs it)');

const SOCKET = `raidsync-test-${process.pid}`;
const COLUMNS = 100;
// Asynchronous: the sandbox answers the binary's requests from this very process.
const tmux = async (...args: string[]) => (await promisify(execFile)('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', timeout: 25_000 })).stdout;

let sandbox: Sandbox;
let cwd: string;

/** Runs the real binary in a fresh tmux window of COLUMNS columns, waits for it to end, and returns the screen: as text, and with its colours. */
async function onScreen(name: string, args: string, env: Record<string, string> = {}): Promise<{ text: string; styled: string }> {
  const script = join(cwd, `${name}.sh`);
  const exports = Object.entries({ ...sandbox.env, RAIDSYNC_DB: join(cwd, 'state.sqlite'), TERM: 'xterm-256color', ...env })
    .map(([key, value]) => `export ${key}='${value}'`)
    .join('\n');
  writeFileSync(
    script,
    `#!/bin/sh\nunset NO_COLOR CI\n${exports}\ncd '${cwd}'\nnode '${BIN}' ${args}\necho "exit=$?"\ntmux wait-for -S ${name}-done\nsleep 600\n`,
    { mode: 0o700 },
  );
  await tmux('new-session', '-d', '-s', name, '-x', String(COLUMNS), '-y', '60', script);
  await tmux('wait-for', `${name}-done`);
  const text = await tmux('capture-pane', '-p', '-t', name, '-S', '-', '-E', '-');
  const styled = await tmux('capture-pane', '-p', '-e', '-t', name, '-S', '-', '-E', '-');
  await tmux('kill-session', '-t', name);
  return { text, styled };
}

describe.skipIf(!HAS_TMUX)('raidsync diff in a real terminal (tmux)', () => {
  beforeAll(async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/bundle/raidsync.js', import.meta.url))), 'run `npm run build` first').toBe(true);
    sandbox = await startSandbox();
    cwd = mkdtempSync(join(tmpdir(), 'raidsync-tmux-'));
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await sandbox?.close();
  });

  it('shows bordered tables that fit the terminal, in colour, with nothing left over from the spinner', async () => {
    const { text, styled } = await onScreen('colour', 'diff');
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('exit=0');
    expect(text).toMatch(/^#103 P2 Payment webhook retries pile up ⇄ INC-3$/m);
    expect(text).toMatch(/^┌─+┬─+┬─+┬─+┐$/m);
    expect(text).toMatch(/^│ field +│ Impact +│ JIRA +│ action +│$/m);
    expect(text).toMatch(/^└─+┴─+┴─+┴─+┘$/m);
    expect(lines.at(-2)).toMatch(/^\d+ of 11 pairs drift: \d+ changes → JIRA/);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(COLUMNS);
    // No garbage: no stray escape sequences shown as text, no spinner frame or progress text left behind.
    expect(text).not.toMatch(/\u001b|\[\d+m|\]8;;|�/);
    expect(text).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|reading (JIRA|FireFighter)/);
    expect(lines[0]).toMatch(/^#\d+ P\d /);
    // Colour reaches the screen.
    expect(styled).toMatch(/\u001b\[[0-9;]*3[0-9]m/);
  });

  it('with NO_COLOR: the same tables, and no colour', async () => {
    const { text, styled } = await onScreen('plain', 'diff', { NO_COLOR: '1' });
    expect(text).toMatch(/^│ field +│ Impact +│ JIRA +│ action +│$/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe('exit=0');
    expect(styled).not.toMatch(/\u001b\[[0-9;]*3[0-9]m/);
  });

  it('piped into another program: no colour, no spinner, only the result', async () => {
    const { text } = await onScreen('piped', 'diff 2>&1 | tee piped.txt');
    expect(text).toMatch(/^│ field +│ Impact +│ JIRA +│ action +│$/m);
    const bytes = readFileSync(join(cwd, 'piped.txt'), 'utf8');
    expect(bytes).toContain('┌');
    expect(bytes).not.toMatch(/[\u001b\u009b\u0007\r]/);
  });
});
