import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parsePlanFile } from '../../sync/decide/plan-file.js';
import { exitCodeOf, UsageError } from '../exit-codes.js';
import type { Io } from '../io.js';
import { addCommonOptions, addMaxChangesOption, addMetricsOption, parseMaxChanges, type CommonOptions } from '../options.js';
import { printRun } from '../render/report.js';
import { openRuntime, runRequest } from '../runtime.js';

export function applyCommand(io: Io, setExit: (code: number) => void): Command {
  return addMaxChangesOption(addMetricsOption(addCommonOptions(
    new Command('apply')
      .summary('run a plan written by diff --out, where each record is still as planned')
      .description(
        'Re-reads the records a saved plan names and applies only the changes whose values on both sides are still what the plan saw; the others are skipped as "changed since plan".',
      )
      .argument('<plan>', 'plan file written by `raidsync diff --out`'),
  )))
    .addHelpText('after', '\nExamples:\n  $ raidsync diff --out plan.json\n  $ raidsync apply plan.json --json')
    .action(async (file: string, options: CommonOptions & { maxChanges?: string }) => {
      const path = resolve(io.cwd, file);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        throw new UsageError(`plan file ${file} cannot be read`);
      }
      const parsed = parsePlanFile(text);
      if (!parsed.ok) throw new UsageError(`plan file ${file} ${parsed.problem}`);
      const runtime = await openRuntime(options, io);
      try {
        const incidents = [...new Set(parsed.plan.changes.map((change) => change.incident))];
        const request = {
          ...runRequest(runtime, options, { command: 'apply', dryRun: false, conflict: parsed.plan.conflict }),
          incidentIds: incidents,
          fields: parsed.plan.fields,
          replay: parsed.plan,
          maxChanges: parseMaxChanges(options.maxChanges),
        };
        const result = await runtime.run(request);
        printRun(runtime.io, 'apply', result, options, runtime.config.jira.url);
        setExit(exitCodeOf({ report: result }));
      } finally {
        await runtime.close();
      }
    });
}
