import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import pg from 'pg';
import type { StateLocation } from '../../src/state/location.js';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

/** The PostgreSQL database the Postgres variants run against; .ci/run starts one and sets it. */
export const POSTGRES_TEST_URL = process.env.RAIDSYNC_TEST_POSTGRES_URL || undefined;

// In CI the Postgres variants must run: a missing database there is a broken setup, not a reason to skip.
if (!POSTGRES_TEST_URL && process.env.CI) {
  throw new Error('RAIDSYNC_TEST_POSTGRES_URL is not set in CI: .ci/run should have started PostgreSQL and exported it');
}

/** The backend a test runs on when it does not say: $RAIDSYNC_TEST_BACKEND, else SQLite. */
export function defaultBackend(): Backend {
  const named = process.env.RAIDSYNC_TEST_BACKEND;
  if (named === undefined || named === '') return 'sqlite';
  if (named !== 'sqlite' && named !== 'postgres') throw new Error(`RAIDSYNC_TEST_BACKEND must be sqlite or postgres, not ${named}`);
  return named;
}

/**
 * Declares `body` once per backend (one suite each); the PostgreSQL one is skipped, saying why,
 * where no test database is configured.
 */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const missing = backend === 'postgres' && POSTGRES_TEST_URL === undefined;
    const name = missing ? `${title} [postgres: SKIPPED, set RAIDSYNC_TEST_POSTGRES_URL=postgres://... to run]` : `${title} [${backend}]`;
    (missing ? describe.skip : describe)(name, () => body(backend));
  }
}

/** A fresh, empty schema name in the test database: each test's state is private there as a temp file is. */
export function freshPostgresLocation(): Extract<StateLocation, { kind: 'postgres' }> {
  if (POSTGRES_TEST_URL === undefined) throw new Error('RAIDSYNC_TEST_POSTGRES_URL is not set');
  return { kind: 'postgres', url: POSTGRES_TEST_URL, schema: `test_${randomBytes(6).toString('hex')}` };
}

/** Drops a test schema and everything in it. */
export async function dropPostgresSchema(location: Extract<StateLocation, { kind: 'postgres' }>): Promise<void> {
  const client = new pg.Client({ connectionString: location.url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${location.schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Waits until PostgreSQL has ended the session of a killed process (it notices the closed connection by itself). */
export async function sessionEnded(url: string, applicationName: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [applicationName]);
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}
