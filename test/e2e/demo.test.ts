import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('demo', () => {
  it('tells the whole story on the sandbox, ends clean with exit 0, and stops its servers', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'raidsync-demo-test-'));
    const result = await runCli(['demo'], { env: {}, cwd, columns: 100 });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const out = result.stdout;
    const steps = [...out.matchAll(/^(\d)\. (.+)$/gm)].map((match) => match[2]);
    expect(steps).toEqual([
      'raidsync diff',
      'raidsync reconcile',
      'People keep working; the real-time syncs miss two changes',
      'raidsync diff',
      'raidsync reconcile',
      'raidsync diff',
      'raidsync status',
    ]);
    const section = (n: number) => out.split(/^\d\. .+$/m)[n] ?? '';
    expect(out).toContain(`raidsync signs in to JIRA as FireFighter's service account and names "raidsync" in its FireFighter updates.`);
    expect(section(1)).toMatch(/^\d+ of 11 pairs drift: \d+ changes → JIRA$/m);
    expect(section(2)).toMatch(/^\d+ of 11 pairs drifted: \d+ applied → JIRA$/m);
    // Every JIRA write raidsync made reached FireFighter's webhook, which dropped it as its own: no echo.
    expect(section(2)).toMatch(/^FireFighter got ([1-9]\d*) webhook deliveries of raidsync's JIRA writes: \1 dropped as its own, 0 applied \(echo\)\.$/m);
    expect(section(3)).toMatch(/#105 +status → Mitigating; its sync walked "Pending resolution", then "in progress" in JIRA/);
    expect(section(3)).toContain('INC-1  status → Reporter validation (by bob); the webhook delivery was lost');
    expect(section(3)).toContain('#106  priority → P3; its push to JIRA failed (FireFighter logged it)');
    // Only what the real-time syncs missed drifts; each side's edit is seen as that side's, and goes the other way.
    expect(section(4)).not.toContain('#105');
    expect(section(4)).toMatch(/#101 .*⇄ INC-1\n[^]*← Impact +│\n.*jira changed since last sync/);
    expect(section(4)).toMatch(/\(in progress → Reporter/);
    expect(section(4)).toMatch(/#106 .*⇄ INC-6\n[^]*→ JIRA +│\n.*impact changed since last/);
    expect(section(4)).toMatch(/^2 of 11 pairs drift: 1 change → JIRA, 1 ← Impact$/m);
    expect(section(5)).toMatch(/^2 of 11 pairs drifted: 1 applied → JIRA, 1 applied ← Impact$/m);
    expect(section(5)).toMatch(/^FireFighter got 1 webhook delivery of raidsync's JIRA writes: 1 dropped as its own, 0 applied \(echo\)\.$/m);
    expect(section(6).trim()).toBe('Nothing left to do.\n\n11 pairs, all in sync');
    // status, as `raidsync status` prints it: the five runs, newest first, nothing left open.
    expect(section(7).match(/^│ #\d+ +│ [\d-]+ [\d:]+ +│ (diff \(dry\)|reconcile) /gm)).toHaveLength(5);
    expect(section(7)).toContain('Open problems: none');
    expect(out).not.toMatch(/\u001b/);
    expect(out).toMatch(/FireFighter 1 signed update\(s\) from raidsync\.$/m);

    const urls = [...out.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]);
    expect(urls).toHaveLength(2);
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
  });
});
