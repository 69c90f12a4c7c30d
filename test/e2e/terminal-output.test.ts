import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { runCli } from '../support/cli.js';
import { startWorld, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const ESCAPE = /[\u001b\u009b\u0007]/;

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** raidsync as a person at a terminal of `columns` would run it (stdout and stderr are TTYs). */
const onTerminal = (columns: number, env: Record<string, string>, ...args: string[]) =>
  runCli(args, { env: { ...world.env, TERM: 'xterm-256color', ...env }, cwd: world.cwd, columns, tty: true });

describe('diff on a terminal', () => {
  for (const columns of [80, 200]) {
    it(`fits ${columns} columns, with colour, blocks headed by incident and ticket, and the summary`, async () => {
      const result = await onTerminal(columns, {}, 'diff');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/\u001b\[\d+m/);
      const visible = result.stdout.replace(/\u001b\]8;;[^\u0007]*\u0007/g, '').replace(/\u001b\[\d+m/g, '');
      expect(visible).not.toMatch(ESCAPE);
      for (const line of visible.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(visible).toMatch(/^#103 P2 Payment webhook retries pile up ⇄ INC-3$/m);
      expect(visible).toMatch(/│ status +│ Mitigated +│ In Progress +│ → JIRA +│/);
      // The summary counts what --json lists: each change once, pairs by incident.
      const json = (await world.run('diff', '--json')).json<{ changes: Array<{ incident: number; outcome: string }> }>();
      const pairs = new Set(json.changes.map((c) => c.incident)).size;
      const blocked = json.changes.filter((c) => c.outcome === 'blocked').length;
      expect(blocked).toBeGreaterThan(0);
      expect(visible.trimEnd().split('\n').at(-1)).toBe(`${pairs} of 11 pairs drift: ${json.changes.length - blocked} changes → JIRA, ${blocked} blocked`);
      // The ticket links to JIRA where the terminal shows hyperlinks.
      expect(result.stdout).toContain(`\u001b]8;;${world.env.RAIDSYNC_JIRA_URL}/browse/INC-3\u0007`);
    });
  }
});

describe('no escape codes where nobody is looking at a terminal', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['NO_COLOR', { NO_COLOR: '1' }, []],
    ['--no-color', {}, ['--no-color']],
    ['--json', {}, ['--json']],
    ['--quiet', {}, ['--quiet', '--conflict', 'skip']],
    ['TERM=dumb', { TERM: 'dumb' }, []],
  ];
  for (const [name, env, args] of cases) {
    it(`${name}`, async () => {
      const result = await onTerminal(120, env, name === '--quiet' ? 'reconcile' : 'diff', ...args);
      expect(result.stdout.length).toBeGreaterThan(0);
      expect(result.stdout + result.stderr).not.toMatch(ESCAPE);
    });
  }

  it('piped: plain tables, and nothing on stderr', async () => {
    const result = await world.run('diff');
    expect(result.stdout).toContain('┌');
    expect(result.stdout).not.toMatch(ESCAPE);
    expect(result.stderr).toBe('');
  });

  it('a writing command shows each outcome and the past-tense summary', async () => {
    const result = await world.run('reconcile');
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toMatch(/│ title +│ Promo codes double-applied at +│ Promo codes applied twice +│ → JIRA ✓/);
    // The summary counts what the tables show, each change once.
    const summary = result.stdout.trimEnd().split('\n').at(-1) ?? '';
    const [, applied, blocked] = /^\d of 11 pairs drifted: (\d+) applied → JIRA, (\d+) blocked$/.exec(summary) ?? [];
    expect(result.stdout.match(/→ JIRA ✓/g)?.length).toBe(Number(applied));
    expect(result.stdout.match(/→ JIRA blocked/g)?.length).toBe(Number(blocked));
    expect(result.stdout).toMatch(/→ JIRA blocked *│\n(│.*│ \S.*\n)+/);
  });

  it('a dry run says nothing was written', async () => {
    const result = await world.run('push', '--dry-run');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('dry run: nothing was written to JIRA, FireFighter or the state file');
    expect(world.sandbox.jira.writes).toEqual([]);
  });
});

describe('--json prints exactly one JSON object on stdout', () => {
  it.each([['diff'], ['push', '--dry-run'], ['pull', '--dry-run'], ['reconcile', '--dry-run'], ['reconcile']])('%s %s', async (...args) => {
    const result = await onTerminal(120, {}, ...args.filter(Boolean), '--json');
    expect(result.stdout).not.toMatch(ESCAPE);
    const body = result.json<{ command: string; changes: unknown[] }>();
    expect(body.command).toBe(args[0]);
    expect(Array.isArray(body.changes)).toBe(true);
  });

  it('apply', async () => {
    await world.run('diff', '--out', 'plan.json');
    const body = (await onTerminal(120, {}, 'apply', 'plan.json', '--json')).json<{ command: string }>();
    expect(body.command).toBe('apply');
  });

  it('status', async () => {
    await world.run('diff');
    const body = (await onTerminal(120, {}, 'status', '--json')).json<{ command: string; runs: unknown[] }>();
    expect(body.command).toBe('status');
    expect(body.runs).toHaveLength(1);
  });

  it('doctor', async () => {
    const body = (await onTerminal(120, {}, 'doctor', '--json')).json<{ command: string }>();
    expect(body.command).toBe('doctor');
  });

  it('init', async () => {
    const body = (await onTerminal(120, {}, 'init', '--json')).json<{ command: string; file: string }>();
    expect(body).toEqual({ command: 'init', file: join(world.cwd, 'raidsync.config.yaml') });
    expect(existsSync(body.file)).toBe(true);
  });
});
