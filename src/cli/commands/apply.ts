import { Command } from 'commander';
import { exitCodeOf } from '../exit-codes.js';
import type { Io } from '../io.js';
import { addCommonOptions, addMaxChangesOption, addMetricsOption, addPagerOption, parseMaxChanges } from '../options.js';
import { readPlanFile } from '../plan-input.js';
import { printRunReport } from '../print-run.js';
import type { PrintOptions } from '../render/report.js';
import { openRuntime, runRequest } from '../runtime.js';

interface ApplyOptions extends PrintOptions {
  dryRun?: boolean;
  maxChanges?: string;
}

export function applyCommand(io: Io, setExit: (code: number) => void): Command {
  return addMaxChangesOption(addPagerOption(addMetricsOption(addCommonOptions(
    new Command('apply')
      .description(
        'Re-reads the records a saved plan names and applies only the changes whose values on both sides are still what the plan saw; the others are skipped as "changed since plan", ' +
          'and a change whose target already holds the planned value is reported as "already in sync". With --dry-run, re-reads both sides and says what would still apply, writing nothing.',
      )
      .argument('<plan>', 'plan file written by `raidsync diff --out`')
      .option('--dry-run', 're-read both sides and say what would still apply; write nothing anywhere'),
  ))))
    .addHelpText('after', '\nExamples:\n  $ raidsync diff --out plan.json\n  $ raidsync show plan.json\n  $ raidsync apply plan.json --dry-run\n  $ raidsync apply plan.json --json')
    .action(async (file: string, options: ApplyOptions) => {
      const plan = readPlanFile(io.cwd, file);
      // A dry run writes to neither side: it needs no webhook secret.
      const runtime = await openRuntime(options, io, options.dryRun ? 'read' : 'write');
      try {
        const incidents = [...new Set(plan.changes.map((change) => change.incident))];
        const request = {
          ...runRequest(runtime, options, { command: 'apply', dryRun: options.dryRun ?? false, conflict: plan.conflict }),
          incidentIds: incidents,
          fields: plan.fields,
          replay: plan,
          maxChanges: parseMaxChanges(options.maxChanges),
        };
        const result = await runtime.run(request);
        await printRunReport(runtime, 'apply', result, options);
        setExit(exitCodeOf({ report: result }));
      } finally {
        await runtime.close();
      }
    });
}
