import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { loadStateSettings } from '../../config/load.js';
import { changeLog, type LoggedChange } from '../../state/change-log.js';
import type { JsonValue } from '../../state/json.js';
import { stateLocation } from '../../state/location.js';
import { UsageError } from '../exit-codes.js';
import type { Io } from '../io.js';
import { parseIncidentIds } from '../options.js';
import { readState } from '../read-state.js';
import { fittedColumnWidths } from '../render/fit.js';

interface LogOptions {
  config?: string;
  db?: string;
  incident?: string;
  issue?: string;
  run?: string;
  since?: string;
  json?: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ARROW: Record<string, string> = { impact_to_jira: '→ JIRA', jira_to_impact: '← Impact' };

export function logCommand(io: Io): Command {
  return new Command('log')
    .description(
      'The audit trail from the state file: each write raidsync sent (applied, or refused and reported blocked or failed), newest first, with its time, run, pair, field, direction and values before and after. Reads only the state file; needs no credentials.',
    )
    .option('-c, --config <file>', 'config file (for state.path / state.url)')
    .option('--db <file>', 'state file (default: state.path, else ./.raidsync/state.sqlite)')
    .option('--incident <id>', 'only this FireFighter incident')
    .option('--issue <key>', 'only this JIRA issue')
    .option('--run <n>', 'only this run (the id status lists)')
    .option('--since <duration>', 'only changes newer than this: 30m, 12h, 7d, 2w')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('--no-color', 'no colour, whatever the terminal'))
    .addHelpText('after', '\nExamples:\n  $ raidsync log --issue INC-7\n  $ raidsync log --since 24h --json | jq \'.changes[] | select(.outcome != "applied")\'')
    .action(async (options: LogOptions) => {
      const filter = {
        incidentId: options.incident === undefined ? undefined : parseIncidentIds([options.incident])?.[0],
        issueKey: options.issue,
        runId: options.run === undefined ? undefined : runId(options.run),
        since: options.since === undefined ? undefined : new Date(Date.now() - durationMs(options.since)),
      };
      const settings = loadStateSettings({ file: options.config, env: io.env, dbPath: options.db, cwd: io.cwd });
      const changes = await readState(stateLocation(settings, io.cwd), (state) => changeLog(state.db, filter), () => []);
      if (options.json) io.stdout(`${JSON.stringify({ command: 'log', changes: changes.map(changeJson) }, null, 2)}\n`);
      else io.stdout(renderLog(changes, io.columns));
    });
}

function runId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`--run takes a run id as status lists it (e.g. 17), not "${text}"`);
  return id;
}

/** `30m`, `12h`, `7d`, `2w` (or seconds, `90s`) in milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (!match) throw new UsageError(`--since takes a duration such as 30m, 12h, 7d or 2w, not "${text}"`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

function changeJson(change: LoggedChange) {
  return {
    at: change.at.toISOString(),
    run: change.runId,
    command: change.command,
    incident: change.incidentId,
    issue: change.issueKey,
    field: change.field,
    direction: change.direction,
    from: change.from,
    to: change.to,
    outcome: change.outcome,
    reason: change.reason,
  };
}

/** One row per change; the columns give way to fit `width`. */
function renderLog(changes: readonly LoggedChange[], width: number | undefined): string {
  if (changes.length === 0) return 'no changes recorded\n';
  const head = ['time (UTC)', 'run', 'pair', 'field', 'direction', 'from → to', 'outcome'];
  const rows = changes.map((change) => [
    change.at.toISOString().slice(0, 19).replace('T', ' '),
    `#${change.runId}`,
    `#${change.incidentId} ${change.issueKey}`,
    change.field,
    ARROW[change.direction] ?? change.direction,
    `${shown(change.from)} → ${shown(change.to)}`,
    change.outcome,
  ]);
  const colWidths = fittedColumnWidths([head, ...rows], width);
  const table = new Table({ head, style: { head: [], border: [] }, ...(colWidths && { colWidths }) });
  table.push(...rows);
  return `${table.toString()}\n${changes.length} change(s), newest first\n`;
}

/** A value as a person reads it: text as is (control characters escaped), nothing as (none). */
function shown(value: JsonValue): string {
  if (value === null) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
