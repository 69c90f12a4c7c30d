import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import type { JiraSeed } from '../../src/sandbox/jira/seed.js';
import { fixturePath, SANDBOX_DEMO_CONFIG, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import { startWorld, type World } from '../support/cli.js';
import { fixtureSeed } from '../jira/harness.js';

interface DoctorJson {
  command: string;
  ok: boolean;
  exitCode: number;
  checks: Array<{ name: string; ok: boolean; warning?: true; detail: string; fix?: string; kind: string }>;
}

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** doctor against the sandbox with the demo's config plus `extra` YAML, and `env` over the sandbox's variables. */
async function doctor(options: { config?: string; env?: Record<string, string>; sandbox?: SandboxOptions; args?: string[] } = {}) {
  const w = (world = await startWorld(options.sandbox));
  Object.assign(w.env, options.env);
  const file = join(w.cwd, 'raidsync.config.yaml');
  writeFileSync(file, options.config ?? SANDBOX_DEMO_CONFIG);
  const json = await w.run('doctor', '--json', '-c', file, ...(options.args ?? []));
  const text = await w.run('doctor', '-c', file, ...(options.args ?? []));
  const report = json.json<DoctorJson>();
  return { report, text, exitCode: json.exitCode, failed: report.checks.filter((check) => !check.ok) };
}

const DEMO_WITHOUT = (line: RegExp) => SANDBOX_DEMO_CONFIG.split('\n').filter((l) => !line.test(l)).join('\n');

describe('raidsync doctor against the sandbox', () => {
  it('passes every check with the demo config, and says so in ✓ lines', async () => {
    const { report, text, exitCode } = await doctor();
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ command: 'doctor', ok: true, exitCode: 0 });
    expect(report.checks.map((check) => check.name)).toEqual([
      'config is valid',
      'state file opens',
      "JIRA accepts raidsync's credentials",
      "how raidsync runs beside FireFighter's own sync",
      "FireFighter accepts raidsync's API token",
      'FireFighter accepts the webhook signature',
      "every status in the maps exists in INC's workflow",
      'every status raidsync may push to is reachable',
      'required transition fields are configured',
      'every priority in the maps exists in JIRA',
      "commanders' emails resolve to one JIRA user each",
    ]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('✓ required transition fields are configured');
    expect(text.stdout).toContain('All 11 checks pass, 1 with a warning (!).');
  });

  it("says which set-up is in force: one account for both warns while status is synced; the coexistence set-up passes", async () => {
    const own = await doctor();
    const setUp = (report: DoctorJson) => report.checks.find((check) => check.name === "how raidsync runs beside FireFighter's own sync");
    expect(setUp(own.report)).toMatchObject({ ok: true, warning: true });
    expect(setUp(own.report)?.detail).toMatch(/^one account: raidsync writes to JIRA as raidsync bot \(5b10ac8d82e05b22cc7d4eb0\)/);
    expect(own.text.stdout).toMatch(/^! how raidsync runs beside FireFighter's own sync: one account: .*status is synced/m);
    expect(own.text.stdout).toContain('    fix: sign raidsync in to JIRA as FireFighter\'s service account and set impact.webhookActor');
    await world?.close();

    const apart = await doctor({ sandbox: { live: true }, env: { RAIDSYNC_IMPACT_WEBHOOK_ACTOR: 'raidsync-webhook' } });
    Object.assign(world!.env, world!.sandbox.firefighterJiraEnv);
    const rerun = await world!.run('doctor', '--json', '-c', join(world!.cwd, 'raidsync.config.yaml'));
    const coexisting = setUp(rerun.json<DoctorJson>());
    expect(apart.exitCode).toBe(0);
    expect(coexisting?.warning).toBeUndefined();
    expect(coexisting?.detail).toMatch(/^coexistence: raidsync writes to JIRA as FireFighter \(firefighter-qraft\) and names "raidsync-webhook"/);
    expect(rerun.exitCode).toBe(0);
  });

  it('config: an invalid setting is named, exit 2', async () => {
    const { failed, exitCode, text } = await doctor({ env: { RAIDSYNC_JIRA_URL: 'not a url' } });
    expect(exitCode).toBe(2);
    expect(failed.map((check) => check.name)).toEqual(['config is valid']);
    expect(failed[0]?.detail).toContain('jira.url');
    expect(text.stdout).toMatch(/✗ config is valid: .*\n {4}fix: /);
  });

  it('state file: one that cannot open is named, exit 2', async () => {
    const { failed, exitCode } = await doctor({ args: ['--db', '/dev/null/state.sqlite'] });
    expect(exitCode).toBe(2);
    expect(failed.map((check) => check.name)).toEqual(['state file opens']);
  });

  it('credentials: a JIRA token JIRA refuses and a wrong webhook secret are named, secrets kept out, exit 3', async () => {
    const { failed, exitCode, text } = await doctor({ env: { RAIDSYNC_JIRA_API_TOKEN: 'wrong-token-123', RAIDSYNC_IMPACT_WEBHOOK_SECRET: 'wrong-secret-456' } });
    expect(exitCode).toBe(3);
    expect(failed.map((check) => check.name)).toEqual(["JIRA accepts raidsync's credentials", 'FireFighter accepts the webhook signature']);
    expect(failed[0]?.fix).toContain('jira.apiToken');
    expect(failed[1]?.fix).toContain('impact.webhookSecret');
    expect(text.stdout).not.toContain('wrong-token-123');
    expect(text.stdout).not.toContain('wrong-secret-456');
  });

  it('reachability: a FireFighter that does not answer is named, exit 3', async () => {
    const { failed, exitCode } = await doctor({ env: { RAIDSYNC_IMPACT_URL: 'http://127.0.0.1:9' } });
    expect(exitCode).toBe(3);
    expect(failed.map((check) => check.name)).toEqual(['FireFighter is reachable']);
    expect(failed[0]?.fix).toContain('impact.url');
  });

  it('maps: a status not in the workflow, a missing transition field, a priority JIRA lacks and an unresolved commander, exit 4', async () => {
    const config = `${DEMO_WITHOUT(/transitionFields|Resolved:|resolution:|users:|dave@|hides Dave/)}\n  impactToJiraStatus:\n    Post-mortem: Archived\n  impactToJiraPriority:\n    '1': Critical\n`;
    const { failed, exitCode, text } = await doctor({ config });
    expect(exitCode).toBe(4);
    const byName = Object.fromEntries(failed.map((check) => [check.name, check]));
    expect(Object.keys(byName)).toEqual([
      "every status in the maps exists in INC's workflow",
      'required transition fields are configured',
      'every priority in the maps exists in JIRA',
      "commanders' emails resolve to one JIRA user each",
    ]);
    expect(byName["every status in the maps exists in INC's workflow"]?.detail).toContain('"Archived"');
    expect(byName['required transition fields are configured']?.detail).toContain('"Resolve Issue" (In Progress → Resolved) requires resolution: set jira.transitionFields.Resolved.resolution');
    expect(byName['every priority in the maps exists in JIRA']?.detail).toContain('"Critical"');
    expect(byName["commanders' emails resolve to one JIRA user each"]?.detail).toContain('dave@acme.test');
    expect(text.stdout).toContain('4 of 11 checks failed, 1 with a warning (!).');
  });

  it('maps: a target no transition leads to is named, exit 4', async () => {
    const seed = fixtureSeed();
    seed.projects[0]!.workflow.transitions = seed.projects[0]!.workflow.transitions.filter((transition) => transition.to !== 'Resolved');
    const { failed, exitCode } = await doctor({ sandbox: { jiraSeed: seed } });
    expect(exitCode).toBe(4);
    expect(failed.map((check) => check.name)).toEqual(['every status raidsync may push to is reachable']);
    expect(failed[0]?.detail).toContain('"Resolved"');
  });

  it("maps: the firefighter preset's priority custom field must exist, exit 4", async () => {
    const seed = JSON.parse(readFileSync(fixturePath('jira-firefighter.json'), 'utf8')) as JiraSeed;
    seed.customFields = [];
    for (const issue of seed.issues) issue.customFields = {};
    const { failed, exitCode } = await doctor({ sandbox: { maps: 'firefighter', jiraSeed: seed }, config: 'jira:\n  transitionFields:\n    Closed:\n      resolution: { name: Done }\nmaps:\n  users:\n    dave@acme.test: 5b10ac8d82e05b22cc7d4e04\n' });
    expect(exitCode).toBe(4);
    expect(failed.map((check) => check.name)).toEqual(['the priority field customfield_11064 exists']);
  });
});
