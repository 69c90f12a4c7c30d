import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { RunReport } from '../../sync/report.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printRun } from '../render/report.js';
import { renderStatus } from '../render/status.js';
import { styleFor } from '../render/style.js';
import { openRuntime, runRequest } from '../runtime.js';
import { statusReport } from '../status-report.js';

interface DemoOptions {
  color: boolean;
  keep?: boolean;
}

/** raidsync's author in FireFighter updates: not FireFighter's JIRA account, which raidsync signs in to JIRA as. */
const DEMO_ACTOR = 'raidsync';

/**
 * Between two reconciles, people edit both sides and the real-time syncs carry most of it; two syncs are missed:
 * JIRA's delivery of bob's move is lost, and FireFighter's push of a priority fails at JIRA (it logs and moves on).
 */
const EDITS = {
  missedDelivery: { issue: 'INC-1', user: 'bob', status: 'Reporter validation' },
  failedPush: { incident: 106, priority: 3 },
  carried: { incident: 105, status: 'Mitigating' },
} as const;

export function demoCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('demo')
    .description(
      "Starts the JIRA and FireFighter emulators on free 127.0.0.1 ports, seeded from fixtures/ and wired as in production (JIRA's webhook delivers to FireFighter, FireFighter pushes to JIRA), with raidsync in the coexistence set-up (signed in to JIRA as FireFighter's service account, naming its own actor in FireFighter updates). It shows the drift and reconciles it; then people edit both sides, the real-time syncs carry most of it and miss two, and raidsync repairs what they missed without echo, shows a clean diff and the run history, and stops the emulators. Nothing outside the sandbox is touched.",
    )
    .option('--keep', 'keep the sandbox state folder and print its path')
    .option('--no-color', 'no colour, whatever the terminal')
    .addHelpText('after', '\nExamples:\n  $ raidsync demo\n  $ raidsync demo --no-color | less')
    .action(async (options: DemoOptions) => {
      const style = styleFor(io, options);
      // The emulators load only for the demo, not with every command.
      const { SANDBOX_DEMO_CONFIG, SANDBOX_FIREFIGHTER_JIRA, startSandbox } = await import('../../sandbox/sandbox.js');
      const sandbox = await startSandbox({ maps: 'firefighter', live: true });
      const folder = mkdtempSync(join(tmpdir(), 'raidsync-demo-'));
      const config = join(folder, 'raidsync.config.yaml');
      writeFileSync(config, SANDBOX_DEMO_CONFIG, { mode: 0o600 });
      const coexistence = { ...sandbox.firefighterJiraEnv, RAIDSYNC_IMPACT_WEBHOOK_ACTOR: DEMO_ACTOR };
      const demoIo: Io = { ...io, env: { ...sandbox.env, ...coexistence, RAIDSYNC_DB: join(folder, 'state.sqlite') }, cwd: folder };
      const common: CommonOptions = { config, color: options.color };
      let step = 0;
      const say = (title: string, text = '') => {
        step += 1;
        io.stdout(`\n${style.bold.underline(`${step}. ${title}`)}\n${text ? `${style.dim(text)}\n` : ''}\n`);
      };
      try {
        io.stdout(
          `${style.bold('raidsync demo')}: JIRA emulator at ${sandbox.jira.url}, FireFighter emulator at ${sandbox.impact.url}\n` +
            `Seeded from fixtures/: FireFighter incidents, the tickets it created for them in project INC, its workflow.\n` +
            `Both real-time syncs are on. raidsync signs in to JIRA as FireFighter's service account and names "${DEMO_ACTOR}" in its FireFighter updates.\n`,
        );
        const runtime = await openRuntime(common, demoIo);
        try {
          const run = async (command: 'diff' | 'reconcile'): Promise<RunReport> => {
            const echoes = sandbox.impact.webhooks.length;
            const result = await runtime.run(runRequest(runtime, common, { command, dryRun: command === 'diff' }));
            await printRun(runtime.io, command, result, common, { jiraUrl: runtime.config.jira.url });
            await sandbox.settled();
            if (command === 'reconcile') io.stdout(style.dim(`${echoLine(sandbox, echoes, SANDBOX_FIREFIGHTER_JIRA.accountId)}\n`));
            return result;
          };
          say('raidsync diff', 'What drifts, and what reconcile would do. No pair has a base yet, so Impact wins each conflict.');
          await run('diff');
          say('raidsync reconcile', 'Both directions, field by field; each field in agreement becomes the new base.');
          await run('reconcile');
          say(
            'People keep working; the real-time syncs miss two changes',
            'FireFighter carries one edit to JIRA itself; a JIRA webhook delivery is lost, and one of FireFighter\'s pushes fails at JIRA.',
          );
          await editBothSides(sandbox);
          for (const line of editLines(sandbox)) io.stdout(`  ${line}\n`);
          say('raidsync diff', 'Against the bases: the side that changed since the last sync wins.');
          await run('diff');
          say('raidsync reconcile');
          await run('reconcile');
          say('raidsync diff', 'Nothing left to do.');
          const after = await run('diff');
          say('raidsync status', 'What the state file remembers of these runs.');
          io.stdout(renderStatus(await statusReport(runtime.state.db, { state: runtime.state.path, runs: 10, now: new Date() }), style, io.columns));
          const ours = sandbox.impact.webhooks.filter((record) => authorOf(record) === DEMO_ACTOR).length;
          io.stdout(`\n${style.dim(`JIRA took ${sandbox.jira.writes.length} API writes, FireFighter ${ours} signed update(s) from raidsync.`)}\n`);
          setExit(after.changes.length === 0 && after.errors.length === 0 ? EXIT.ok : EXIT.incomplete);
        } finally {
          await runtime.close();
        }
      } finally {
        await sandbox.close();
        if (options.keep) io.stdout(`sandbox state kept in ${folder}\n`);
        else rmSync(folder, { recursive: true, force: true });
      }
    });
}

async function editBothSides(sandbox: Sandbox): Promise<void> {
  sandbox.impact.update(EDITS.carried.incident, { status: EDITS.carried.status });
  await sandbox.settled();
  sandbox.jira.webhooks.drop(1);
  sandbox.jira.editAsUser(EDITS.missedDelivery.issue, EDITS.missedDelivery.user, { status: EDITS.missedDelivery.status });
  sandbox.jira.faults.next(1, { status: 503, matcher: { method: 'PUT', pathPrefix: '/rest/api/2/issue/' } });
  sandbox.impact.update(EDITS.failedPush.incident, { priority: EDITS.failedPush.priority });
  await sandbox.settled();
}

function editLines(sandbox: Sandbox): string[] {
  const carried = sandbox.impact.jiraSync.pushes.filter((push) => push.incidentId === EDITS.carried.incident && push.outcome === 'applied');
  const failed = sandbox.impact.jiraSync.pushes.find((push) => push.incidentId === EDITS.failedPush.incident);
  return [
    `FireFighter #${EDITS.carried.incident}  status → ${EDITS.carried.status}; its sync walked ${carried.map((push) => `"${push.target}"`).join(', then ')} in JIRA`,
    `JIRA        ${EDITS.missedDelivery.issue}  status → ${EDITS.missedDelivery.status} (by ${EDITS.missedDelivery.user}); the webhook delivery was lost`,
    `FireFighter #${EDITS.failedPush.incident}  priority → P${EDITS.failedPush.priority}; its push to JIRA ${failed?.outcome.startsWith('failed') ? 'failed (FireFighter logged it)' : (failed?.outcome ?? 'did not run')}`,
  ];
}

const authorOf = (record: { payload: unknown }): unknown => (record.payload as { user?: { accountId?: unknown } } | undefined)?.user?.accountId;

/** What FireFighter did with the deliveries of raidsync's JIRA writes (made as `account`) since `from`: dropped as its own, or applied (an echo). */
function echoLine(sandbox: Sandbox, from: number, account: string): string {
  const echoes = sandbox.impact.webhooks.slice(from).filter((record) => authorOf(record) === account);
  const applied = echoes.filter((record) => record.effects.includes('applied')).length;
  return `FireFighter got ${echoes.length} webhook ${echoes.length === 1 ? 'delivery' : 'deliveries'} of raidsync's JIRA writes: ${echoes.length - applied} dropped as its own, ${applied} applied (echo).`;
}
