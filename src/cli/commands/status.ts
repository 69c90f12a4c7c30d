import { Command } from 'commander';
import { loadStateSettings } from '../../config/load.js';
import { describeLocation, stateLocation, type StateLocation } from '../../state/location.js';
import { UsageError } from '../exit-codes.js';
import type { Io } from '../io.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { readState } from '../read-state.js';
import { renderStatus } from '../render/status.js';
import { styleFor } from '../render/style.js';
import { emptyStatus, statusReport, type StatusReport } from '../status-report.js';

interface StatusOptions extends CommonOptions {
  runs: string;
}

export function statusCommand(io: Io): Command {
  return addCommonOptions(
    new Command('status')
      .description(
        'Reads the state file, never the services: the last runs, drift over time, open conflicts and blocked or failed changes with their reasons, who holds the lock, success and failure rates per sync type (last runs and 24 h), p50/p95 durations and the top error categories. Needs no credentials; creates nothing.',
      )
      .option('--runs <n>', 'how many recent runs to list and to compute rates over', '10'),
  )
    .addHelpText('after', '\nExamples:\n  $ raidsync status\n  $ raidsync status --json | jq \'.rates.last24h.errors\'')
    .action(async (options: StatusOptions) => {
      const runs = Number(options.runs);
      if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs takes a positive number of runs, not "${options.runs}"`);
      const settings = loadStateSettings({ file: options.config, env: io.env, dbPath: options.db, cwd: io.cwd });
      const report = await readStatus(stateLocation(settings, io.cwd), runs);
      if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout(renderStatus(report, styleFor(io, options), io.columns));
    });
}

function readStatus(location: StateLocation, runs: number): Promise<StatusReport> {
  const where = describeLocation(location);
  return readState(location, (state) => statusReport(state.db, { state: where, runs, now: new Date() }), () => emptyStatus(where));
}
