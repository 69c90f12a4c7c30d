import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { planFileJson } from '../../sync/decide/plan-file.js';
import { EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import { addCommonOptions, addPagerOption } from '../options.js';
import { printRunReport } from '../print-run.js';
import type { PrintOptions } from '../render/report.js';
import { openRuntime, runRequest } from '../runtime.js';
import { shellWord } from '../shell-word.js';

interface DiffOptions extends PrintOptions {
  dryRun?: boolean;
  out?: string;
  exitCode?: boolean;
}

export function diffCommand(io: Io, setExit: (code: number) => void): Command {
  return addPagerOption(addCommonOptions(
    new Command('diff')
      .description(
        'Reads both sides and prints, per drifted pair and field, both values and what reconcile would do and why. Writes nothing to JIRA, FireFighter or the sync state.',
      )
      .option('--dry-run', 'accepted for symmetry: diff never writes')
      .option('--out <file>', 'also write the plan, with the values it expects on both sides, for `raidsync apply`')
      .option('--exit-code', 'exit 1 when there is drift (for scripts)'),
  ))
    .addHelpText(
      'after',
      `
Examples:
  $ raidsync diff
  $ raidsync diff --incident 42 --json
  $ raidsync diff --out plan.json && raidsync show plan.json && raidsync apply plan.json
  $ raidsync diff --exit-code --quiet || echo "drift"`,
    )
    .action(async (options: DiffOptions) => {
      const runtime = await openRuntime(options, io, 'read');
      try {
        const request = runRequest(runtime, options, { command: 'diff', dryRun: true });
        const result = await runtime.run(request);
        const jiraUrl = runtime.config.jira.url;
        if (options.out) {
          writeFileSync(resolve(io.cwd, options.out), planFileJson(result, request.fields, runtime.config.sync.conflict, { jiraUrl, pairs: [...result.drifted.values()] }), { mode: 0o600 });
        }
        await printRunReport(runtime, 'diff', result, options);
        // The contract's one JSON object keeps stdout; so does --quiet's "only problems".
        if (options.out) (options.json || options.quiet ? runtime.io.stderr : runtime.io.stdout)(savedPlan(options.out, result.changes.length, options));
        const drift = result.changes.length > 0 || result.errors.length > 0;
        setExit(options.exitCode && drift ? EXIT.drift : EXIT.ok);
      } finally {
        await runtime.close();
      }
    });
}

/** Where the plan went and the command that applies it, with the config and state file this diff used. */
function savedPlan(file: string, changes: number, options: DiffOptions): string {
  const flags = [...(options.config ? ['-c', options.config] : []), ...(options.db ? ['--db', options.db] : [])];
  const apply = ['raidsync', 'apply', file, ...flags].map(shellWord).join(' ');
  const show = ['raidsync', 'show', file].map(shellWord).join(' ');
  return `\nSaved the plan (${changes} change${changes === 1 ? '' : 's'}) to ${file}. To apply it where each record is still as planned, run:\n    ${apply}\n${show} prints it again; apply --dry-run says what would still apply.\n`;
}
