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

/** The edits the demo's people make between two reconciles: one on each side, so both directions show. */
const EDITS = {
  jira: { issue: 'INC-1', user: 'bob', status: 'Resolved' },
  impact: { incident: 106, priority: 3 },
} as const;

export function demoCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('demo')
    .description(
      'Starts the JIRA and FireFighter emulators on free 127.0.0.1 ports, seeded from fixtures/, shows the drift and reconciles it; then people edit both sides, and raidsync shows which way each edit goes, reconciles again, shows a clean diff and the run history, and stops the emulators. Nothing outside the sandbox is touched.',
    )
    .option('--keep', 'keep the sandbox state folder and print its path')
    .option('--no-color', 'no colour, whatever the terminal')
    .addHelpText('after', '\nExamples:\n  $ raidsync demo\n  $ raidsync demo --no-color | less')
    .action(async (options: DemoOptions) => {
      const style = styleFor(io, options);
      // The emulators load only for the demo, not with every command.
      const { SANDBOX_DEMO_CONFIG, startSandbox } = await import('../../sandbox/sandbox.js');
      const sandbox = await startSandbox();
      const folder = mkdtempSync(join(tmpdir(), 'raidsync-demo-'));
      const config = join(folder, 'raidsync.config.yaml');
      writeFileSync(config, SANDBOX_DEMO_CONFIG, { mode: 0o600 });
      const demoIo: Io = { ...io, env: { ...sandbox.env, RAIDSYNC_DB: join(folder, 'state.sqlite') }, cwd: folder };
      const common: CommonOptions = { config, color: options.color };
      let step = 0;
      const say = (title: string, text = '') => {
        step += 1;
        io.stdout(`\n${style.bold.underline(`${step}. ${title}`)}\n${text ? `${style.dim(text)}\n` : ''}\n`);
      };
      try {
        io.stdout(
          `${style.bold('raidsync demo')}: JIRA emulator at ${sandbox.jira.url}, FireFighter emulator at ${sandbox.impact.url}\n` +
            `Seeded from fixtures/: FireFighter incidents, their tickets in project INC, a ten-status workflow.\n`,
        );
        const runtime = await openRuntime(common, demoIo);
        try {
          const run = async (command: 'diff' | 'reconcile'): Promise<RunReport> => {
            const result = await runtime.run(runRequest(runtime, common, { command, dryRun: command === 'diff' }));
            printRun(runtime.io, command, result, common, runtime.config.jira.url);
            return result;
          };
          say('raidsync diff', 'What drifts, and what reconcile would do. No pair has a base yet, so Impact wins each conflict.');
          await run('diff');
          say('raidsync reconcile', 'Both directions, field by field; each field in agreement becomes the new base.');
          await run('reconcile');
          say(
            'People keep working',
            `bob moves ${EDITS.jira.issue} to "${EDITS.jira.status}" in JIRA; in FireFighter, incident #${EDITS.impact.incident} is set to P${EDITS.impact.priority}.`,
          );
          editBothSides(sandbox);
          io.stdout(`  ${style.cyan('JIRA')}        ${EDITS.jira.issue}  status → ${EDITS.jira.status} (by bob)\n`);
          io.stdout(`  ${style.cyan('FireFighter')} #${EDITS.impact.incident}  priority → P${EDITS.impact.priority}\n`);
          say('raidsync diff', 'Against the bases: the side that changed since the last sync wins.');
          await run('diff');
          say('raidsync reconcile');
          await run('reconcile');
          say('raidsync diff', 'Nothing left to do.');
          const after = await run('diff');
          say('raidsync status', 'What the state file remembers of these runs.');
          io.stdout(renderStatus(await statusReport(runtime.state.db, { state: runtime.state.path, runs: 10, now: new Date() }), style, io.columns));
          io.stdout(
            `\n${style.dim(`JIRA took ${sandbox.jira.writes.length} API writes, FireFighter ${sandbox.impact.webhooks.length} signed webhook(s).`)}\n`,
          );
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

function editBothSides(sandbox: Sandbox): void {
  sandbox.jira.editAsUser(EDITS.jira.issue, EDITS.jira.user, { status: EDITS.jira.status });
  sandbox.impact.update(EDITS.impact.incident, { priority: EDITS.impact.priority });
}
