import type { RunEvent, RunObserver } from '../sync/events.js';
import type { Io } from './io.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * `--log-format json`: one JSON object per run event on stderr, for log shippers. Text (the default)
 * logs nothing beyond the report: the tables already say it. Written through the command's Io, which
 * scrubs every configured secret.
 */
export function runLogger(io: Io, format: LogFormat | undefined): RunObserver | undefined {
  if (format !== 'json') return undefined;
  return (event) => io.stderr(`${JSON.stringify(logRecord(event))}\n`);
}

function logRecord(event: RunEvent): Record<string, unknown> {
  const base = { time: event.at.toISOString(), level: levelOf(event), event: event.type, run_id: event.runId };
  switch (event.type) {
    case 'run_started':
      return { ...base, command: event.command, dry_run: event.dryRun };
    case 'change':
      return {
        ...base,
        incident: event.incident,
        issue: event.issue,
        field: event.field,
        direction: event.direction,
        outcome: event.outcome,
        category: event.category,
        duration_ms: event.durationMs,
        reason: event.reason,
      };
    case 'pair_error':
      return { ...base, incident: event.incident, issue: event.issue || null, category: event.category, message: event.message };
    case 'run_finished':
      return { ...base, exit_code: event.exitCode, duration_ms: event.durationMs, ...snakeCase(event.counts) };
    case 'run_failed':
      return { ...base, exit_code: event.exitCode, duration_ms: event.durationMs, category: event.category, message: event.message };
  }
}

function levelOf(event: RunEvent): 'info' | 'warn' | 'error' {
  if (event.type === 'run_failed' || event.type === 'pair_error') return 'error';
  if (event.type === 'change') {
    if (event.outcome === 'failed') return 'error';
    if (event.outcome === 'blocked' || event.outcome === 'conflict' || event.category !== null) return 'warn';
  }
  if (event.type === 'run_finished' && event.exitCode !== 0) return 'warn';
  return 'info';
}

/** Log shippers' field names are snake_case, like the rest of the record. */
function snakeCase(record: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
}
