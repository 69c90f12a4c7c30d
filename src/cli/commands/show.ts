import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { addPagerOption } from '../options.js';
import { readPlanFile } from '../plan-input.js';
import { printRun, type PrintOptions } from '../render/report.js';
import { styleFor } from '../render/style.js';
import { shellWord } from '../shell-word.js';

export function showCommand(io: Io): Command {
  return addPagerOption(
    new Command('show')
      .description(
        'Reads a plan file written by `raidsync diff --out` and prints it as `diff` did: one block per drifted pair with both values, the action and the reason, and the summary. ' +
          'Reads neither service and needs no config: what `apply` would still do is `raidsync apply <plan> --dry-run`.',
      )
      .argument('<plan>', 'plan file written by `raidsync diff --out`')
      .option('--json', 'print the plan as diff --json does')
      .addOption(new Option('--no-color', 'no colour, whatever the terminal')),
  )
    .addHelpText('after', '\nExamples:\n  $ raidsync diff --out plan.json\n  $ raidsync show plan.json\n  $ raidsync show plan.json --json | jq \'.changes | length\'')
    .action(async (file: string, options: PrintOptions) => {
      const plan = readPlanFile(io.cwd, file);
      const drifted = new Map((plan.pairs ?? []).map((pair) => [pair.incident, pair]));
      const pairs = plan.pairsRead ?? new Set(plan.changes.map((change) => change.incident)).size;
      const shown = { pairs, changes: plan.changes, errors: [], dryRun: true, drifted };
      if (!options.json) {
        const style = styleFor(io, options);
        io.stdout(`${style.dim(`Plan saved ${plan.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by raidsync diff; to run it: ${['raidsync', 'apply', file].map(shellWord).join(' ')}`)}\n\n`);
      }
      await printRun(io, 'show', shown, options, { jiraUrl: plan.jiraUrl ?? '' });
    });
}
