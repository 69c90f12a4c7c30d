/** Where a command writes, and what it knows of the terminal: the process's in production, captured in tests. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (tables, colour, hyperlinks) and stderr is one (spinners). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns: number;
  cwd: string;
  /** The process's own stderr, for a spinner that moves the cursor; absent when output is captured. */
  stderrStream?: NodeJS.WriteStream | undefined;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stdout.columns ?? 100,
    cwd: process.cwd(),
    stderrStream: process.stderr,
  };
}

/** Replaces every configured secret in what is written, whatever path the text took to get here. */
export function redacting(io: Io, secrets: readonly string[]): Io {
  const live = secrets.filter((secret) => secret.length >= 4);
  if (live.length === 0) return io;
  const scrub = (text: string) => live.reduce((out, secret) => out.split(secret).join('***'), text);
  return { ...io, stdout: (text) => io.stdout(scrub(text)), stderr: (text) => io.stderr(scrub(text)) };
}
