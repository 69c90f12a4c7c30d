import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { SANDBOX_DEMO_CONFIG, startSandbox } from '../../sandbox/sandbox.js';
import type { Io } from '../io.js';
import { printRun } from '../render/report.js';
import { styleFor } from '../render/style.js';
import { openRuntime, runRequest } from '../runtime.js';
import type { CommonOptions } from '../options.js';

interface DemoOptions {
  color: boolean;
  keep?: boolean;
}

export function demoCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('demo')
    .summary('run the whole story on the bundled sandbox')
    .description(
      'Starts the JIRA and FireFighter emulators on free 127.0.0.1 ports, seeded from fixtures/, shows the drift, reconciles it, shows a second diff is clean, then stops them. Nothing outside the sandbox is touched.',
    )
    .option('--keep', 'keep the sandbox state folder and print its path')
    .option('--no-color', 'no colour, whatever the terminal')
    .addHelpText('after', '\nExamples:\n  $ raidsync demo\n  $ raidsync demo --no-color | less')
    .action(async (options: DemoOptions) => {
      const style = styleFor(io, options);
      const sandbox = await startSandbox();
      const folder = mkdtempSync(join(tmpdir(), 'raidsync-demo-'));
      const config = join(folder, 'raidsync.config.yaml');
      writeFileSync(config, SANDBOX_DEMO_CONFIG, { mode: 0o600 });
      const demoIo: Io = { ...io, env: { ...sandbox.env, RAIDSYNC_DB: join(folder, 'state.sqlite') }, cwd: folder };
      const common: CommonOptions = { config, color: options.color };
      const step = (title: string) => io.stdout(`\n${style.bold.underline(title)}\n\n`);
      try {
        io.stdout(
          `${style.bold('raidsync demo')}: JIRA emulator at ${sandbox.jira.url}, FireFighter emulator at ${sandbox.impact.url}\n` +
            `Seeded from fixtures/: FireFighter incidents, their tickets in project INC, a ten-status workflow.\n`,
        );
        const runtime = await openRuntime(common, demoIo);
        try {
          step('1. raidsync diff: what drifts, and what reconcile would do');
          printRun(runtime.io, 'diff', await runtime.run(runRequest(runtime, common, { command: 'diff', dryRun: true })), common);
          step('2. raidsync reconcile: both directions, field by field');
          const reconciled = await runtime.run(runRequest(runtime, common, { command: 'reconcile', dryRun: false }));
          printRun(runtime.io, 'reconcile', reconciled, common);
          step('3. raidsync diff again: nothing left to do');
          const after = await runtime.run(runRequest(runtime, common, { command: 'diff', dryRun: true }));
          printRun(runtime.io, 'diff', after, common);
          io.stdout(
            `\n${style.dim(`JIRA took ${sandbox.jira.writes.length} writes, FireFighter ${sandbox.impact.webhooks.length} signed webhook(s).`)}\n`,
          );
          setExit(after.plan.changes.length === 0 && after.plan.errors.length === 0 ? 0 : 4);
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
