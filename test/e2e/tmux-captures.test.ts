import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchWorld } from '../../src/bench/world.js';
import { SANDBOX_DEMO_CONFIG, startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

const BIN = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
if (!HAS_TMUX) console.warn('tmux-captures.test.ts skipped: tmux is not installed');

const SOCKET = `raidsync-captures-${process.pid}`;
const tmux = async (...args: string[]) => (await promisify(execFile)('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', timeout: 120_000 })).stdout;

/**
 * Runs `commands` (the real binary as `raidsync`) in a tmux window `columns` wide and returns the screen with its
 * scrollback, as text; everything the pane received is kept in `<name>.bytes`. Colour (and so the spinner) only with `colour`.
 */
async function capture(world: { sandbox: Sandbox; cwd: string; env: Record<string, string> }, name: string, columns: number, commands: string, colour = false): Promise<string> {
  const script = join(world.cwd, `${name}.sh`);
  const exports = Object.entries({ ...world.sandbox.env, ...world.env, TERM: 'xterm-256color', ...(!colour && { NO_COLOR: '1' }) })
    .map(([key, value]) => `export ${key}='${value}'`)
    .join('\n');
  writeFileSync(
    script,
    `#!/bin/sh\nunset CI COLUMNS PAGER NO_COLOR\n${exports}\ncd '${world.cwd}'\nraidsync() { node '${BIN}' "$@"; }\n${commands}\necho "exit=$?"\ntmux wait-for -S ${name}-done\nsleep 600\n`,
    { mode: 0o700 },
  );
  await tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', '50');
  await tmux('pipe-pane', '-t', name, `cat > '${join(world.cwd, `${name}.bytes`)}'`);
  await tmux('respawn-pane', '-k', '-t', name, script);
  await tmux('wait-for', `${name}-done`);
  const text = await tmux('capture-pane', '-p', '-t', name, '-S', '-', '-E', '-');
  await tmux('kill-session', '-t', name);
  return text.trimEnd();
}

/** Text as a person reads it: without colour codes and OSC 8 hyperlinks. */
const visible = (text: string) => text.replace(/\u001b\]8;;[^\u0007]*\u0007/g, '').replace(/\u001b\[\d+m/g, '');
const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

async function world(seeds?: ReturnType<typeof benchWorld>) {
  const sandbox = await startSandbox(seeds ? { jiraSeed: seeds.jira, impactSeed: seeds.impact } : {});
  const cwd = mkdtempSync(join(tmpdir(), 'raidsync-captures-'));
  writeFileSync(join(cwd, 'raidsync.config.yaml'), SANDBOX_DEMO_CONFIG);
  return { sandbox, cwd, env: { RAIDSYNC_CONFIG: join(cwd, 'raidsync.config.yaml'), RAIDSYNC_DB: join(cwd, 'state.sqlite') } };
}

describe.skipIf(!HAS_TMUX)('captures in a real terminal (tmux)', () => {
  let fixtures: Awaited<ReturnType<typeof world>>;
  let big: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    expect(existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))), 'run `npm run build` first').toBe(true);
    fixtures = await world();
    big = await world(benchWorld(10_000, 10));
  });
  afterAll(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await Promise.all([fixtures?.sandbox.close(), big?.sandbox.close()]);
  });

  for (const columns of [80, 200]) {
    it(`diff at ${columns} columns: every line fits, values cut with … only where they must`, async () => {
      const screen = await capture(fixtures, `diff-${columns}`, columns, 'raidsync diff');
      expect(screen.split('\n').at(-1)).toBe('exit=0');
      expect(widest(screen)).toBeLessThanOrEqual(columns);
      expect(screen).toMatch(/^#103 P2 Payment webhook retries pile up ⇄ INC-3$/m);
      expect(screen).toMatch(/^│ field +│ Impact +│ JIRA +│ action +│$/m);
      expect(screen).toMatch(/^5 of 11 pairs drift: 6 changes → JIRA$/m);
      // The action column takes what the values leave: the reason wraps in fewer lines at 200 columns; at 80 a long description is cut.
      if (columns === 200) expect(screen).toMatch(/│ conflict: no base yet \(first sync of this pair\); conflict +│/);
      else expect(screen).toMatch(/│ staging still sh… │/);
    });
  }

  it('status at 80 columns after a reconcile: every table fits', async () => {
    const screen = await capture(fixtures, 'status-80', 80, 'raidsync reconcile > /dev/null; raidsync status');
    expect(screen.split('\n').at(-1)).toBe('exit=0');
    expect(widest(screen)).toBeLessThanOrEqual(80);
    expect(screen).toMatch(/^│ run +│ when/m);
    expect(screen).toMatch(/Drift over the last \d+ runs/);
  });

  it('--no-pager, or a pipe: the blocks are printed, no pager runs', async () => {
    const sixty = Array.from({ length: 60 }, (_, i) => (i + 1) * 10).join(' ');
    const screen = await capture(big, 'no-pager', 100, `PAGER='cat > never.txt' raidsync diff --no-pager --incident ${sixty} && PAGER='cat > never.txt' raidsync diff --incident ${sixty} | tail -1`);
    expect(screen.split('\n').at(-1)).toBe('exit=0');
    expect(existsSync(join(big.cwd, 'never.txt'))).toBe(false);
    expect(screen).toMatch(/^#600 P\d .* ⇄ INC-600$/m);
    expect(screen.match(/^60 of 60 pairs drift: /gm)).toHaveLength(2);
  });

  it('a 10,000-pair reconcile: the overview table and the summary on screen, the 1,000 blocks through the pager (1,000 changes: --max-changes raised past the default 500)', async () => {
    const screen = await capture(big, 'big-run', 100, `PAGER='cat > paged.txt' raidsync reconcile --max-changes 1000`, true);
    expect(screen.split('\n').at(-1)).toBe('exit=0');
    expect(screen).toMatch(/^│ field +│ direction +│ applied +│ total +│$/m);
    expect(screen).toMatch(/^1000 of 10000 pairs drifted: 1000 applied → JIRA$/m);
    // The per-pair blocks went to the pager, not the screen.
    expect(screen).not.toMatch(/^#\d+ P\d /m);
    const paged = readFileSync(join(big.cwd, 'paged.txt'), 'utf8');
    expect(visible(paged).match(/^#\d+ P\d .* ⇄ INC-\d+$/gm)).toHaveLength(1000);
    expect(visible(paged).trimEnd().split('\n').at(-1)).toBe('1000 of 10000 pairs drifted: 1000 applied → JIRA');
    // Every slice is decided before the first write, so the spinner counts against the whole run's drift, not one slice's 200.
    const totals = [...readFileSync(join(big.cwd, 'big-run.bytes'), 'utf8').matchAll(/writing ([\d,]+)\/([\d,]+) drifted pairs/g)].map((m) => Number(m[2]?.replace(/,/g, '')));
    expect(totals.length).toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set([1000]));
  });
});
