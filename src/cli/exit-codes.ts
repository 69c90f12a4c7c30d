import { ConfigError } from '../config/errors.js';
import { MalformedResponseError, ServiceError } from '../net/errors.js';
import { LockHeldError } from '../sync/lock-held-error.js';
import type { RunEnding, RunResultKind } from '../sync/report.js';
import { ChangeLimitError } from '../sync/change-limit.js';
import { SafetyStopError } from '../sync/shrink-guard.js';

/** The contract's exit codes. */
export const EXIT = {
  ok: 0,
  drift: 1,
  usage: 2,
  unreachable: 3,
  incomplete: 4,
  locked: 5,
} as const;

/** A bad flag or argument (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What an error that ended a command means: its exit code, and the fix a person is told (null: its message names it). */
export interface ErrorMeaning {
  exitCode: number;
  fix: string | null;
}

const BY_RESULT: Record<RunResultKind, number> = {
  ok: EXIT.ok,
  // Switched off by configuration, a run that wrote nothing as asked has succeeded.
  disabled: EXIT.ok,
  incomplete: EXIT.incomplete,
  // Interrupted, the run did not do all it planned: the contract's "finished, but not everything was applied".
  interrupted: EXIT.incomplete,
};

/** The exit code of a run, from its report or from the error that stopped it. */
export function exitCodeOf(ending: RunEnding): number {
  return 'report' in ending ? BY_RESULT[ending.report.result] : exitCodeFor(ending.error);
}

export function exitCodeFor(error: unknown): number {
  return errorMeaning(error).exitCode;
}

/** Every error a command can end with, once: the exit code it means and what to do about it. */
export function errorMeaning(error: unknown): ErrorMeaning {
  // Their messages already name the key or the check that stopped the run.
  if (error instanceof UsageError || error instanceof ConfigError) return { exitCode: EXIT.usage, fix: null };
  if (error instanceof LockHeldError) return { exitCode: EXIT.locked, fix: 'wait for that run to end (runs from cron should not overlap)' };
  if (error instanceof ServiceError) return { exitCode: EXIT.unreachable, fix: serviceFix(error) };
  if (error instanceof MalformedResponseError) {
    return { exitCode: EXIT.unreachable, fix: `check that ${error.service === 'jira' ? 'RAIDSYNC_JIRA_URL points at JIRA' : 'RAIDSYNC_IMPACT_URL points at FireFighter'}; --verbose shows the field` };
  }
  // A side that suddenly returns (almost) nothing is treated like one that cannot be reached: nothing was written.
  if (error instanceof SafetyStopError) return { exitCode: EXIT.unreachable, fix: null };
  // More changes than sync.maxChanges: stopped before the first write, as a safety stop is (the contract's exit 3).
  if (error instanceof ChangeLimitError) return { exitCode: EXIT.unreachable, fix: null };
  // An error that stopped the run is never "finished with failed changes" (4): like a refusing service, the run stopped (3).
  if (!(error instanceof Error)) return { exitCode: EXIT.unreachable, fix: null };
  switch (error.name) {
    case 'StateFileError':
      return { exitCode: EXIT.usage, fix: 'point --db or RAIDSYNC_DB at raidsync\'s own state file' };
    case 'StateUrlError':
      return { exitCode: EXIT.usage, fix: null };
    case 'StateUnreachableError':
      return { exitCode: EXIT.unreachable, fix: null };
    // Busy, full or failing local storage stopped the run: like an unreachable service, nothing more was written.
    case 'StateStorageError':
      return { exitCode: EXIT.unreachable, fix: 'free disk space or end the other program holding the state file, then run again' };
    default:
      return { exitCode: EXIT.unreachable, fix: 'run again with --verbose for the cause' };
  }
}

function serviceFix(error: ServiceError): string {
  const jira = error.service === 'jira';
  switch (error.category) {
    case 'auth':
      return jira
        ? 'check RAIDSYNC_JIRA_EMAIL and RAIDSYNC_JIRA_API_TOKEN (Cloud) or RAIDSYNC_JIRA_PAT (Data Center); `raidsync doctor` checks each'
        : 'check RAIDSYNC_IMPACT_TOKEN; `raidsync doctor` checks each credential';
    case 'network':
    case 'timeout':
      return `check ${jira ? 'RAIDSYNC_JIRA_URL' : 'RAIDSYNC_IMPACT_URL'} and that the host is reachable from here; nothing was written`;
    case 'rate_limit':
      return `${jira ? 'JIRA' : 'FireFighter'} kept rate-limiting raidsync: run again later`;
    case 'not_found':
      return `check ${jira ? 'RAIDSYNC_JIRA_URL' : 'RAIDSYNC_IMPACT_URL'} (the base URL, without /rest or /api)`;
    default:
      return 'run again with --verbose for the details';
  }
}
