import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { untilInterrupted } from '../interrupt.js';
import type { Io } from '../io.js';
import { shellQuoted } from '../shell-word.js';

interface SandboxCommandOptions {
  pairs?: string;
  latency?: string;
}

/** Every `driftEvery`-th generated pair drifts on one field: enough to see, few enough to read. */
const GENERATED_DRIFT_EVERY = 10;

export function sandboxCommand(io: Io): Command {
  return new Command('sandbox')
    .description(
      'Starts both emulators on free 127.0.0.1 ports, seeded from fixtures/ (or with N generated pairs, every tenth drifted), prints the `export RAIDSYNC_*=...` lines that point raidsync at them (their credentials, a config and a state file in a temporary folder), and runs until Ctrl-C (SIGINT) or SIGTERM, then stops them and removes the folder. The emulators keep everything in memory.',
    )
    .option('--pairs <n>', 'generate this many linked pairs instead of the fixtures')
    .option('--latency <ms>', 'delay every emulator response by this many milliseconds', '0')
    .addHelpText(
      'after',
      `
Examples:
  $ raidsync sandbox                      # then, in another shell, paste the export lines and run:
  $ raidsync diff
  $ raidsync sandbox --pairs 10000 --latency 20`,
    )
    .action(async (options: SandboxCommandOptions) => {
      const pairs = options.pairs === undefined ? undefined : wholeNumber('--pairs', options.pairs, 1);
      const latencyMs = wholeNumber('--latency', options.latency ?? '0', 0);
      // The emulators and generators load only for this command, not with every command.
      const [{ SANDBOX_DEMO_CONFIG, startSandbox }, { benchWorld }] = await Promise.all([import('../../sandbox/sandbox.js'), import('../../bench/world.js')]);
      const world = pairs === undefined ? undefined : benchWorld(pairs, GENERATED_DRIFT_EVERY);
      const sandbox = await startSandbox({ latencyMs, ...(world && { jiraSeed: world.jira, impactSeed: world.impact }) });
      const folder = mkdtempSync(join(tmpdir(), 'raidsync-sandbox-'));
      try {
        const config = join(folder, 'raidsync.config.yaml');
        writeFileSync(config, SANDBOX_DEMO_CONFIG, { mode: 0o600 });
        const env = { ...sandbox.env, RAIDSYNC_CONFIG: config, RAIDSYNC_DB: join(folder, 'state.sqlite') };
        io.stderr(
          `raidsync sandbox: JIRA emulator at ${sandbox.jira.url}, FireFighter emulator at ${sandbox.impact.url}, ` +
            `${pairs === undefined ? 'seeded from fixtures/' : `${pairs} generated pairs`}\n`,
        );
        io.stdout(Object.entries(env).map(([key, value]) => `export ${key}=${shellQuoted(value)}\n`).join(''));
        io.stderr('Paste the export lines into another shell, then run `raidsync diff`. Ctrl-C stops the sandbox.\n');
        const signal = await untilInterrupted();
        io.stderr(`raidsync sandbox: ${signal} received; stopping the emulators\n`);
      } finally {
        await sandbox.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} takes a whole number ≥ ${min}, not "${text}"`);
  return value;
}
