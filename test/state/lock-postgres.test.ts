import { describe, expect, it, onTestFinished } from 'vitest';
import type { StateLocation } from '../../src/state/location.js';
import { readLockHolder } from '../../src/state/lock-holder.js';
import { acquireLock, releaseLock } from '../../src/state/lock.js';
import { openState, type StateDb } from '../../src/state/open.js';
import { dropPostgresSchema, freshPostgresLocation, POSTGRES_TEST_URL } from '../support/backends.js';

const now = new Date('2026-03-01T12:00:00Z');
const runnerA = { pid: 4711, host: 'runner-a' };
const runnerB = { pid: 4711, host: 'runner-b' };

/** A fresh schema, dropped when the test finishes (after the states opened on it are closed). */
function freshSchema(): Extract<StateLocation, { kind: 'postgres' }> {
  const location = freshPostgresLocation();
  onTestFinished(() => dropPostgresSchema(location));
  return location;
}

async function open(location: StateLocation): Promise<StateDb> {
  const state = await openState(location);
  onTestFinished(() => state.close());
  return state;
}

const title = POSTGRES_TEST_URL ? 'the run lock on PostgreSQL' : 'the run lock on PostgreSQL [SKIPPED, set RAIDSYNC_TEST_POSTGRES_URL=postgres://... to run]';

describe.skipIf(POSTGRES_TEST_URL === undefined)(title, () => {
  it('is refused to every other session, whatever host it names, and says who holds it', async () => {
    const location = freshSchema();
    const first = await open(location);
    const second = await open(location);
    await expect(acquireLock(first.db, { ...runnerA, now })).resolves.toEqual({ ok: true });
    await expect(acquireLock(second.db, { ...runnerB, now: new Date() })).resolves.toEqual({ ok: false, holder: { ...runnerA, startedAt: now } });
    await expect(readLockHolder(second.db)).resolves.toEqual({ ...runnerA, startedAt: now });
  });

  it('is freed by PostgreSQL when the holder’s session ends, though its row is still there', async () => {
    const location = freshSchema();
    const crashed = await openState(location);
    await acquireLock(crashed.db, { ...runnerA, now });
    await crashed.close();
    const next = await open(location);
    await expect(readLockHolder(next.db)).resolves.toBeNull();
    await expect(acquireLock(next.db, { ...runnerB, now })).resolves.toEqual({ ok: true });
    await expect(readLockHolder(next.db)).resolves.toEqual({ ...runnerB, startedAt: now });
  });

  it('is refused to the same process twice, although a session’s advisory locks are re-entrant', async () => {
    const state = await open(freshSchema());
    await acquireLock(state.db, { ...runnerA, now });
    await expect(acquireLock(state.db, { ...runnerA, now })).resolves.toMatchObject({ ok: false });
  });

  it('is released by its holder for the next session at once', async () => {
    const location = freshSchema();
    const first = await open(location);
    const second = await open(location);
    await acquireLock(first.db, { ...runnerA, now });
    await expect(releaseLock(first.db, runnerB)).resolves.toBe(false);
    await expect(releaseLock(first.db, runnerA)).resolves.toBe(true);
    await expect(acquireLock(second.db, { ...runnerB, now })).resolves.toEqual({ ok: true });
  });

  it('belongs to one schema: two teams’ states in one database lock independently', async () => {
    const teamOne = await open(freshSchema());
    const teamTwo = await open(freshSchema());
    await expect(acquireLock(teamOne.db, { ...runnerA, now })).resolves.toEqual({ ok: true });
    await expect(acquireLock(teamTwo.db, { ...runnerB, now })).resolves.toEqual({ ok: true });
  });
});
