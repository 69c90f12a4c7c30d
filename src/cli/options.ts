import { Option, type Command } from 'commander';
import { SYNC_FIELDS, type SyncField } from '../sync/fields.js';
import { UsageError } from './exit-codes.js';
import { LOG_FORMATS, type LogFormat } from './log.js';

/** The contract's common options, as commander hands them over. */
export interface CommonOptions {
  config?: string;
  db?: string;
  incident?: string[];
  fields?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
  logFormat?: LogFormat;
  /** Writing commands only: where to write the Prometheus metrics after the run. */
  metricsFile?: string;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: $RAIDSYNC_CONFIG, else ./raidsync.config.yaml, ~/.config/raidsync/config.yaml, /etc/raidsync/config.yaml)')
    .option('--db <file>', 'state file (default: state.path, else ./.raidsync/state.sqlite)')
    .option('--incident <id...>', 'only these incidents (FireFighter ids)')
    .option('--fields <list>', `only these fields, comma-separated (${SYNC_FIELDS.join(',')})`)
    .option('--json', 'print one JSON object on stdout')
    .option('-q, --quiet', 'print only problems (blocked, failed, conflicts, errors) and the summary; nothing when there is none')
    .option('-v, --verbose', 'print details of errors and requests')
    .addOption(new Option('--no-color', 'no colour, whatever the terminal'))
    .addOption(new Option('--log-format <format>', 'events on stderr: text (none beyond the report) or json (one object per line)').choices(LOG_FORMATS).default('text'));
}

/** `--no-pager`, for the commands that print drift blocks (diff, push, pull, reconcile, apply, show). */
export function addPagerOption(command: Command): Command {
  return command.addOption(new Option('--no-pager', 'never page the per-pair blocks, however many (on a terminal, more than 50 go through $PAGER)'));
}

/** `--metrics-file`, for the commands that write (push, pull, reconcile, apply). */
export function addMetricsOption(command: Command): Command {
  return command.option('--metrics-file <path>', 'after the run, write Prometheus metrics here (default: metrics.file)');
}

/** `--max-changes`, for the commands that write (push, pull, reconcile, apply). */
export function addMaxChangesOption(command: Command): Command {
  return command.option('--max-changes <n>', 'stop before the first write when the plan holds more changes than this (default: sync.maxChanges, 500; 0 = no limit)');
}

export function parseMaxChanges(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--max-changes takes a whole number of changes (0 = no limit), not "${value}"`);
  return Number(value.trim());
}

export function parseIncidentIds(values: readonly string[] | undefined): number[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .filter((value) => value.trim() !== '')
    .map((value) => {
      const id = Number(value.trim().replace(/^#/, ''));
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--incident takes FireFighter incident ids (e.g. 42), not "${value}"`);
      return id;
    });
}

export function parseFields(list: string | undefined, configured: readonly SyncField[]): SyncField[] {
  if (list === undefined) return [...configured];
  const fields = list.split(',').map((field) => field.trim()).filter(Boolean);
  for (const field of fields) {
    if (!(SYNC_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--fields: unknown field "${field}"; the sync fields are ${SYNC_FIELDS.join(', ')}`);
    }
  }
  if (fields.length === 0) throw new UsageError(`--fields needs at least one of ${SYNC_FIELDS.join(', ')}`);
  return fields as SyncField[];
}
