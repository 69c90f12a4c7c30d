import { Command, Option } from 'commander';
import type { SyncCommand } from '../../sync/decide/plan.js';
import type { Io } from '../io.js';
import { addCommonOptions, addMaxChangesOption, addMetricsOption, addPagerOption, parseMaxChanges } from '../options.js';
import { printRunReport } from '../print-run.js';
import type { PrintOptions } from '../render/report.js';
import { exitCodeOf } from '../exit-codes.js';
import { openRuntime, runRequest } from '../runtime.js';

export interface SyncCommandSpec {
  name: SyncCommand;
  description: string;
  examples: string;
  conflictOption?: boolean;
  /** push: `--create` makes tickets for incidents that have none. */
  createOption?: boolean;
}

interface SyncOptions extends PrintOptions {
  dryRun?: boolean;
  conflict?: 'impact' | 'jira' | 'skip';
  create?: boolean;
  maxChanges?: string;
}

/** push, pull and reconcile differ only in which way fields may go: one builder, three help texts. */
export function syncCommand(spec: SyncCommandSpec, io: Io, setExit: (code: number) => void): Command {
  const command = addMaxChangesOption(addPagerOption(addMetricsOption(addCommonOptions(
    new Command(spec.name).description(spec.description).option('--dry-run', 'plan and print; write nothing anywhere'),
  ))));
  if (spec.conflictOption) {
    command.addOption(new Option('--conflict <policy>', 'settle conflicts: impact pushes, jira pulls, skip reports').choices(['impact', 'jira', 'skip']));
  }
  if (spec.createOption) {
    command.option('--create', 'also create a JIRA ticket for each incident that has none and matches create.filter');
  }
  command.addHelpText('after', `\nExamples:\n${spec.examples}`);
  return command.action(async (options: SyncOptions) => {
    const runtime = await openRuntime(options, io);
    try {
      const result = await runtime.run(
        { ...runRequest(runtime, options, { command: spec.name, dryRun: options.dryRun ?? false, conflict: options.conflict, create: options.create }), maxChanges: parseMaxChanges(options.maxChanges) },
      );
      await printRunReport(runtime, spec.name, result, options);
      setExit(exitCodeOf({ report: result }));
    } finally {
      await runtime.close();
    }
  });
}
