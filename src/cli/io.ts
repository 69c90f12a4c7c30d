import { secretsInEnv } from '../config/secret-env.js';
import { scrubSecrets } from '../net/scrub.js';
import { page } from './pager.js';
import { outputWidth } from './terminal.js';

/** Where a command writes, and what it knows of the terminal: the process's in production, captured in tests. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (tables, colour, hyperlinks) and stderr is one (spinners). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The width output must fit (see outputWidth); undefined: no limit. */
  columns: number | undefined;
  cwd: string;
  /** The process's own stderr, for a spinner that moves the cursor; absent when output is captured. */
  stderrStream?: NodeJS.WriteStream | undefined;
  /** Shows text through a pager on the terminal; absent when output is captured. Resolves false when none ran. */
  page?: ((text: string) => Promise<boolean>) | undefined;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: outputWidth(process.stdout, process.env),
    cwd: process.cwd(),
    stderrStream: process.stderr,
    page: (text) => page(text, process.env),
  };
}

/** Replaces every configured secret in what is written, whatever path the text took to get here. */
export function redacting(io: Io, secrets: readonly string[]): Io {
  if (secrets.length === 0) return io;
  const { page } = io;
  return {
    ...io,
    stdout: (text) => io.stdout(scrubSecrets(text, secrets)),
    stderr: (text) => io.stderr(scrubSecrets(text, secrets)),
    page: page && ((text) => page(scrubSecrets(text, secrets))),
  };
}

const secretsByIo = new WeakMap<Io, readonly string[]>();

/** Remembers the configured secrets of the command writing to `io`, so that the error `main` reports is scrubbed too. */
export function rememberSecrets(io: Io, secrets: readonly string[]): void {
  secretsByIo.set(io, secrets);
}

/** The secrets a command configured on `io`, and those the environment holds even when the config did not load. */
export function secretsFor(io: Io): string[] {
  return [...(secretsByIo.get(io) ?? []), ...secretsInEnv(io.env)];
}
