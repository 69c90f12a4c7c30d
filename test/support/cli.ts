import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import type { StateLocation } from '../../src/state/location.js';
import { openState, type OpenStateOptions, type StateDb } from '../../src/state/open.js';
import { defaultBackend, dropPostgresSchema, freshPostgresLocation, type Backend } from './backends.js';

/** One change in the contract's `--json` output. */
export interface JsonChange {
  incident: number;
  issue: string;
  field: string;
  direction: string;
  from: string | null;
  to: string | null;
  outcome: string;
  reason: string;
  /** Ticket creations only: the create request's fields. */
  fields?: Record<string, unknown>;
}

/** The contract's `--json` object of a sync command. */
export interface JsonRun {
  command: string;
  dryRun: boolean;
  notice?: string;
  pairs: number;
  changes: JsonChange[];
  errors: Array<{ incident: number; issue: string; message: string }>;
}

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

/** A sandbox, a private working folder, a private state (file or PostgreSQL schema), and raidsync pointed at them. */
export interface World {
  sandbox: Sandbox;
  cwd: string;
  env: Record<string, string>;
  backend: Backend;
  /** Where this world's state lives, to open it beside the CLI. */
  state: StateLocation;
  run(...args: string[]): Promise<CliResult>;
  /** Opens this world's state as raidsync does; close it before the world. */
  openState(options?: OpenStateOptions): Promise<StateDb>;
  close(): Promise<void>;
}

/** `backend`: where the state lives; default $RAIDSYNC_TEST_BACKEND, else SQLite. */
export async function startWorld(options: SandboxOptions & { env?: Record<string, string>; backend?: Backend } = {}): Promise<World> {
  const backend = options.backend ?? defaultBackend();
  const sandbox = await startSandbox(options);
  const cwd = mkdtempSync(join(tmpdir(), 'raidsync-e2e-'));
  const state: StateLocation = backend === 'postgres' ? freshPostgresLocation() : { kind: 'sqlite', path: join(cwd, 'state.sqlite') };
  const stateEnv: Record<string, string> = state.kind === 'postgres' ? { RAIDSYNC_STATE_URL: state.url, POSTGRES_SCHEMA: state.schema } : { RAIDSYNC_DB: state.path };
  const env: Record<string, string> = { ...sandbox.env, ...stateEnv, ...options.env };
  return {
    sandbox,
    cwd,
    env,
    backend,
    state,
    run: (...args) => runCli(args, { env, cwd }),
    openState: (openOptions) => openState(state, openOptions),
    close: async () => {
      await sandbox.close();
      if (state.kind === 'postgres') await dropPostgresSchema(state);
    },
  };
}
