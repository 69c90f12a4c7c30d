import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { Command } from 'commander';
import { copyState, type CopiedTable } from '../../state/copy.js';
import { describeLocation, parseStateUrl, urlPassword, type StateLocation } from '../../state/location.js';
import { acquireLock, releaseLock, type LockOwner } from '../../state/lock.js';
import { openState, type StateDb } from '../../state/open.js';
import { LockHeldError } from '../../sync/lock-held-error.js';
import { UsageError } from '../exit-codes.js';
import { redacting, type Io } from '../io.js';

interface MigrateOptions {
  from: string;
  to: string;
  schema?: string;
  json?: boolean;
}

const MIGRATE_EXAMPLES = `
Examples:
  $ raidsync state migrate --from sqlite://.raidsync/state.sqlite --to postgres://raidsync@db.internal:5432/ops
  $ POSTGRES_SCHEMA=raidsync_eu raidsync state migrate --from sqlite:///var/lib/raidsync/state.sqlite --to postgres://db/ops --json

Stop the cron job first; the copy takes both locks, so a run that starts meanwhile exits 5.
Then point every runner at the new state: RAIDSYNC_STATE_URL=postgres://... (and POSTGRES_SCHEMA if not raidsync).`;

export function stateCommand(io: Io): Command {
  const migrate = new Command('migrate')
    .summary('copy a state (e.g. the SQLite file) into a new, empty one (e.g. PostgreSQL)')
    .description('Copies every base, loop guard, pair, run and pending write of one state into another that holds none yet, all or nothing.')
    .requiredOption('--from <url>', 'the state to copy: sqlite://path (relative to here; sqlite:///abs for absolute) or postgres://...')
    .requiredOption('--to <url>', 'where to copy it: postgres://user@host:5432/database (or sqlite://path)')
    .option('--schema <name>', 'the PostgreSQL schema at either end (default: $POSTGRES_SCHEMA, else raidsync)')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', MIGRATE_EXAMPLES)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (options: MigrateOptions) => {
      const out = redacting(io, [options.from, options.to].map(urlPassword).filter((secret): secret is string => secret !== undefined));
      const postgres = { database: io.env.POSTGRES_DB, schema: options.schema ?? io.env.POSTGRES_SCHEMA };
      const from = parseStateUrl(options.from, io.cwd, postgres);
      const to = parseStateUrl(options.to, io.cwd, postgres);
      if (describeLocation(from) === describeLocation(to)) throw new UsageError('--from and --to name the same state');
      if (from.kind === 'sqlite' && !existsSync(from.path)) throw new UsageError(`--from: state file ${from.path} does not exist`);
      const copied = await copyBetween(from, to, { pid: process.pid, host: hostname() });
      const rows = copied.reduce((sum, table) => sum + table.rows, 0);
      if (options.json) {
        out.stdout(`${JSON.stringify({ command: 'state migrate', from: describeLocation(from), to: describeLocation(to), rows, tables: copied })}\n`);
        return;
      }
      out.stdout(`copied ${rows} rows in ${copied.length} tables from ${describeLocation(from)} to ${describeLocation(to)}\n`);
      for (const table of copied) out.stdout(`  ${table.table.padEnd(16)} ${String(table.rows).padStart(8)}\n`);
      out.stdout(`next: point every runner at it (${to.kind === 'postgres' ? `RAIDSYNC_STATE_URL, POSTGRES_SCHEMA=${to.schema}` : 'RAIDSYNC_DB'})\n`);
    });
  return new Command('state')
    .addHelpText('after', MIGRATE_EXAMPLES)
    .addCommand(migrate);
}

/** Copies `from` into `to` holding both states' locks, so that no run writes to either meanwhile. */
async function copyBetween(from: StateLocation, to: StateLocation, owner: LockOwner): Promise<CopiedTable[]> {
  const source = await openState(from);
  let target: StateDb | undefined;
  const locked: StateDb[] = [];
  try {
    target = await openState(to);
    for (const state of [source, target]) {
      const lock = await acquireLock(state.db, { ...owner, now: new Date() });
      if (!lock.ok) {
        const { pid, host, startedAt } = lock.holder;
        throw new LockHeldError(`another raidsync run holds the lock on ${state.path}: pid ${pid} on ${host}, since ${startedAt.toISOString()}`);
      }
      locked.push(state);
    }
    return await copyState(
      { db: source.db, schema: from.kind === 'postgres' ? from.schema : undefined },
      { db: target.db, schema: to.kind === 'postgres' ? to.schema : undefined, where: target.path },
    );
  } finally {
    for (const state of locked) await releaseLock(state.db, owner);
    await target?.close();
    await source.close();
  }
}
