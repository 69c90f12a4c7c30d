import { CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { errorCategory, errorMessage } from '../net/errors.js';
import { LockHeldError } from '../sync/lock-held-error.js';
import { SafetyStopError } from '../sync/shrink-guard.js';
import { UsageError } from './exit-codes.js';

/** What kind of error ended a command, for scripts: a service's own category, or one of raidsync's. */
export type FatalCategory = ReturnType<typeof errorCategory> | 'usage' | 'config' | 'state' | 'locked' | 'safety_stop';

export function fatalCategory(error: unknown): FatalCategory {
  if (error instanceof UsageError || error instanceof CommanderError) return 'usage';
  if (error instanceof ConfigError) return 'config';
  if (error instanceof LockHeldError) return 'locked';
  if (error instanceof SafetyStopError) return 'safety_stop';
  if (error instanceof Error && ['StateFileError', 'StateUrlError', 'StateUnreachableError'].includes(error.name)) return 'state';
  return errorCategory(error);
}

/** The one object `--json` prints for an error that ended `command` (the contract's shape); callers scrub secrets. */
export function errorJson(command: string, error: unknown): string {
  const message = errorMessage(error).replace(/^error: /, '').trim();
  return `${JSON.stringify({ command, error: { message, category: fatalCategory(error) } }, null, 2)}\n`;
}
