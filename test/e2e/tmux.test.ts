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
    expect(existsSync(fileURLToPath(new URL('../../dist/bundle/raidsync.cjs', import.meta.url))), 'run `npm run build` first').toBe(true);
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
    // More than 5 drifted pairs: the overview table per field, direction and outcome comes first.
    expect(lines[0]).toMatch(/^┌─+┬─+┬/);
    expect(lines[1]).toMatch(/^│ field +│ direction +│ planned +│/);
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
    await onScreen('piped', 'diff 2>&1 | tee piped.txt');
    // Piped without $COLUMNS: no width limit, so the file, not the 100-column screen, holds whole lines.
    const bytes = readFileSync(join(cwd, 'piped.txt'), 'utf8');
    expect(bytes).toMatch(/^│ field +│ Impact +│ JIRA +│ action +│$/m);
    expect(bytes).toContain('┌');
    expect(bytes).not.toMatch(/[\u001b\u009b\u0007\r]/);
  });
});

describe.skipIf(!HAS_TMUX)('on a terminal that reports 0 columns (stty cols 0)', () => {
  let quick: Sandbox;
  let slow: Sandbox;
  beforeAll(async () => {
    quick = await startSandbox();
    // Slow enough that the run is still reading when the signal lands.
    slow = await startSandbox({ latencyMs: 400 });
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await Promise.all([quick?.close(), slow?.close()]);
  });

  /** Runs `diff` in a tmux window whose pty says 0 columns; everything the pane receives is kept in `<name>.bytes`. */
  async function zeroColumnDiff(name: string, target: Sandbox, signal?: 'TERM' | 'INT'): Promise<{ bytes: string; exit: string }> {
    const script = join(cwd, `${name}.sh`);
    const exports = Object.entries({ ...target.env, RAIDSYNC_DB: join(cwd, `${name}.sqlite`), TERM: 'xterm-256color' })
      .map(([key, value]) => `export ${key}='${value}'`)
      .join('\n');
    writeFileSync(
      script,
      `#!/bin/sh\nunset NO_COLOR CI COLUMNS\n${exports}\ncd '${cwd}'\nstty cols 0\nnode '${BIN}' diff &\necho $! > ${name}.pid\n` +
        `tmux wait-for -S ${name}-started\nwait $!\necho "exit=$?" > ${name}.exit\ntmux wait-for -S ${name}-done\nsleep 600\n`,
      { mode: 0o700 },
    );
    await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '40');
    await tmux('pipe-pane', '-t', name, `cat > '${join(cwd, `${name}.bytes`)}'`);
    await tmux('respawn-pane', '-k', '-t', name, script);
    await tmux('wait-for', `${name}-started`);
    if (signal) {
      // The run is reading from the slow sandbox: wait until it has asked for something, then signal it.
      while (target.jira.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      process.kill(Number(readFileSync(join(cwd, `${name}.pid`), 'utf8')), `SIG${signal}`);
    }
    await tmux('wait-for', `${name}-done`);
    await tmux('kill-session', '-t', name);
    return { bytes: readFileSync(join(cwd, `${name}.bytes`), 'utf8'), exit: readFileSync(join(cwd, `${name}.exit`), 'utf8').trim() };
  }

  it('diff ends by itself with bounded output and no cursor movement', async () => {
    const { bytes, exit } = await zeroColumnDiff('zero', quick);
    expect(exit).toBe('exit=0');
    expect(bytes).toContain('pairs drift');
    expect(bytes.length).toBeLessThan(100_000);
    expect(bytes).not.toMatch(/\u001b\[\d*[AK]/);
  });

  for (const signal of ['TERM', 'INT'] as const) {
    it(`SIG${signal} ends diff`, async () => {
      const { bytes, exit } = await zeroColumnDiff(`zero-${signal}`, slow, signal);
      expect(exit).toMatch(/^exit=\d+$/);
      expect(bytes).not.toMatch(/\u001b\[\d*[AK]/);
      expect(bytes.length).toBeLessThan(100_000);
    });
  }
});
