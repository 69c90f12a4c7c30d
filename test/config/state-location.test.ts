import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { describeLocation, parseStateUrl, stateLocation } from '../../src/state/location.js';
import { ENV } from '../support/config-env.js';


const cwd = '/srv/raidsync';
const locate = (env: Record<string, string>, dbPath?: string) => stateLocation(loadConfig({ env: { ...ENV, ...env }, dbPath }).config.state, cwd);

describe('where the state lives', () => {
  it('is the SQLite file by default, relative to the working folder', () => {
    expect(locate({})).toEqual({ kind: 'sqlite', path: '/srv/raidsync/.raidsync/state.sqlite' });
    expect(locate({ RAIDSYNC_DB: 'state/x.sqlite' })).toEqual({ kind: 'sqlite', path: '/srv/raidsync/state/x.sqlite' });
  });

  it('is PostgreSQL when RAIDSYNC_STATE_URL says so, in schema raidsync unless POSTGRES_SCHEMA names another', () => {
    expect(locate({ RAIDSYNC_STATE_URL: 'postgres://sync@db.internal:5432/ops', RAIDSYNC_DB: 'ignored.sqlite' })).toEqual({
      kind: 'postgres',
      url: 'postgres://sync@db.internal:5432/ops',
      schema: 'raidsync',
    });
    expect(locate({ RAIDSYNC_STATE_URL: 'postgresql://db.internal/ops', POSTGRES_SCHEMA: 'raidsync_eu' })).toMatchObject({ schema: 'raidsync_eu' });
  });

  it('takes the database from POSTGRES_DB only when the URL names none', () => {
    expect(locate({ RAIDSYNC_STATE_URL: 'postgres://db.internal', POSTGRES_DB: 'firefighter' })).toMatchObject({ url: 'postgres://db.internal/firefighter' });
    expect(locate({ RAIDSYNC_STATE_URL: 'postgres://db.internal/ops', POSTGRES_DB: 'firefighter' })).toMatchObject({ url: 'postgres://db.internal/ops' });
    // Host, user, password and database left out are libpq's PG* variables' to give, through the pg driver.
    expect(locate({ RAIDSYNC_STATE_URL: 'postgres://' })).toMatchObject({ kind: 'postgres', url: 'postgres://' });
  });

  it('is the file named by --db, whatever URL the environment or the config file name', () => {
    const config = join(mkdtempSync(join(tmpdir(), 'raidsync-config-')), 'raidsync.config.yaml');
    writeFileSync(config, 'state:\n  url: postgres://db.internal/ops\n');
    expect(stateLocation(loadConfig({ file: config, env: ENV, dbPath: 'mine.sqlite' }).config.state, cwd)).toEqual({ kind: 'sqlite', path: '/srv/raidsync/mine.sqlite' });
    expect(locate({ RAIDSYNC_STATE_URL: 'postgres://db.internal/ops' }, 'mine.sqlite')).toEqual({ kind: 'sqlite', path: '/srv/raidsync/mine.sqlite' });
  });

  it('counts the URL password and PGPASSWORD among the secrets, and never names them', () => {
    const { secrets } = loadConfig({ env: { ...ENV, RAIDSYNC_STATE_URL: 'postgres://sync:p%40ss-w0rd@db/ops', PGPASSWORD: 'pg-env-secret' } });
    expect(secrets).toContain('p@ss-w0rd');
    expect(secrets).toContain('pg-env-secret');
    const location = parseStateUrl('postgres://sync:p%40ss-w0rd@db/ops', cwd, { schema: 'raidsync' });
    expect(describeLocation(location)).toBe('postgres://sync:***@db/ops (schema raidsync)');
  });

  it('refuses a URL of another kind and a schema name PostgreSQL would fold, naming the setting', () => {
    expect(() => locate({ RAIDSYNC_STATE_URL: 'mysql://db/ops' })).toThrow(/state\.url must be a postgres:\/\/ or sqlite:\/\/ URL \(from RAIDSYNC_STATE_URL\)/);
    expect(() => locate({ RAIDSYNC_STATE_URL: 'postgres://db/ops', POSTGRES_SCHEMA: 'RaidSync' })).toThrow(/state\.schema must be a lower-case PostgreSQL name .*POSTGRES_SCHEMA/);
    expect(() => parseStateUrl('sqlite://', cwd)).toThrow('names no file');
  });

  it('reads sqlite:// URLs as paths: relative to the working folder, or absolute with a third slash', () => {
    expect(parseStateUrl('sqlite://.raidsync/state.sqlite', cwd)).toEqual({ kind: 'sqlite', path: '/srv/raidsync/.raidsync/state.sqlite' });
    expect(parseStateUrl('sqlite:///var/lib/raidsync/state.sqlite', cwd)).toEqual({ kind: 'sqlite', path: '/var/lib/raidsync/state.sqlite' });
  });
});
