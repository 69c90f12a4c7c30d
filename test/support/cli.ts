import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs raidsync in-process, as a user would from a shell in `cwd` with `env`, and captures what it prints. */
export async function runCli(args: readonly string[], options: { env: Record<string, string>; cwd: string; columns?: number; tty?: boolean }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ...options.env },
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    columns: options.columns ?? 120,
    cwd: options.cwd,
  };
  const exitCode = await main(args, io);
  return { exitCode, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

/** A sandbox, a private working folder with its state file, and raidsync pointed at both. */
export interface World {
  sandbox: Sandbox;
  cwd: string;
  env: Record<string, string>;
  run(...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function startWorld(options: SandboxOptions & { env?: Record<string, string> } = {}): Promise<World> {
  const sandbox = await startSandbox(options);
  const cwd = mkdtempSync(join(tmpdir(), 'raidsync-e2e-'));
  const env = { ...sandbox.env, RAIDSYNC_DB: join(cwd, 'state.sqlite'), ...options.env };
  return {
    sandbox,
    cwd,
    env,
    run: (...args) => runCli(args, { env, cwd }),
    close: () => sandbox.close(),
  };
}
