import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { planFileJson } from '../../sync/decide/plan-file.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { printRun } from '../render/report.js';
import { openRuntime, runRequest } from '../runtime.js';

interface DiffOptions extends CommonOptions {
  dryRun?: boolean;
  out?: string;
  exitCode?: boolean;
}

export function diffCommand(io: Io, setExit: (code: number) => void): Command {
  return addCommonOptions(
    new Command('diff')
      .description(
        'Reads both sides and prints, per drifted pair and field, both values and what reconcile would do and why. Writes nothing to JIRA, FireFighter or the sync state.',
      )
      .option('--dry-run', 'accepted for symmetry: diff never writes')
      .option('--out <file>', 'also write the plan, with the values it expects on both sides, for `raidsync apply`')
      .option('--exit-code', 'exit 1 when there is drift (for scripts)'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ raidsync diff
  $ raidsync diff --incident 42 --json
  $ raidsync diff --out plan.json && raidsync apply plan.json
  $ raidsync diff --exit-code --quiet || echo "drift"`,
    )
    .action(async (options: DiffOptions) => {
      const runtime = await openRuntime(options, io, 'read');
      try {
        const request = runRequest(runtime, options, { command: 'diff', dryRun: true });
        const result = await runtime.run(request);
        if (options.out) writeFileSync(resolve(io.cwd, options.out), planFileJson(result, request.fields, runtime.config.sync.conflict), { mode: 0o600 });
        printRun(runtime.io, 'diff', result, options, runtime.config.jira.url);
        const drift = result.changes.length > 0 || result.errors.length > 0;
        setExit(options.exitCode && drift ? EXIT.drift : EXIT.ok);
      } finally {
        await runtime.close();
      }
    });
}
