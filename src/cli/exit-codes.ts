import { ConfigError } from '../config/errors.js';
import { MalformedResponseError, ServiceError } from '../net/errors.js';
import { LockHeldError } from '../sync/lock-held-error.js';
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


/** Errors that stop a run before it writes anything, and the exit code each means. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT.usage;
  if (error instanceof LockHeldError) return EXIT.locked;
  if (error instanceof ServiceError || error instanceof MalformedResponseError) return EXIT.unreachable;
  // A side that suddenly returns (almost) nothing is treated like one that cannot be reached: nothing was written.
  if (error instanceof SafetyStopError) return EXIT.unreachable;
  if (error instanceof Error && error.name === 'StateFileError') return EXIT.usage;
  if (error instanceof Error && error.name === 'StateUrlError') return EXIT.usage;
  if (error instanceof Error && error.name === 'StateUnreachableError') return EXIT.unreachable;
  return EXIT.incomplete;
}
