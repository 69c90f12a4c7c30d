import { isAbsolute, resolve } from 'node:path';

/** Where the sync state lives: a SQLite file on this machine (the default) or a schema in a PostgreSQL database. */
export type StateLocation =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      /** A postgres:// URL for the pg driver; what it leaves out, pg takes from libpq's PG* variables. */
      url: string;
      /** The schema holding raidsync's tables (created when missing), so it can share a database with other tools. */
      schema: string;
    };

/** The state settings of the config (`state.*`, RAIDSYNC_DB, RAIDSYNC_STATE_URL, POSTGRES_DB, POSTGRES_SCHEMA). */
export interface StateSettings {
  path: string;
  url?: string | undefined;
  database?: string | undefined;
  schema: string;
}

export const DEFAULT_POSTGRES_SCHEMA = 'raidsync';

/** The location the settings name: `state.url` when set, else the file `state.path`, relative to `cwd`. */
export function stateLocation(settings: StateSettings, cwd: string): StateLocation {
  if (settings.url === undefined) return { kind: 'sqlite', path: resolve(cwd, settings.path) };
  return parseStateUrl(settings.url, cwd, { database: settings.database, schema: settings.schema });
}

/**
 * Reads `sqlite://path` (relative to `cwd`; `sqlite:///abs` for an absolute path) or `postgres[ql]://...`.
 * A PostgreSQL URL without a database name gets `database` (POSTGRES_DB), else pg falls back to PGDATABASE.
 */
export function parseStateUrl(
  raw: string,
  cwd: string,
  postgres: { database?: string | undefined; schema?: string | undefined } = {},
): StateLocation {
  if (raw.startsWith('sqlite://')) {
    const path = raw.slice('sqlite://'.length);
    if (path === '') throw new StateUrlError(raw, 'names no file (e.g. sqlite://.raidsync/state.sqlite)');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StateUrlError(raw, 'is not a URL (expected postgres://user@host:5432/database or sqlite://path)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StateUrlError(raw, `has scheme ${url.protocol}// (expected postgres:// or sqlite://)`);
  }
  if ((url.pathname === '' || url.pathname === '/') && postgres.database) url.pathname = `/${encodeURIComponent(postgres.database)}`;
  return { kind: 'postgres', url: url.href, schema: postgres.schema ?? DEFAULT_POSTGRES_SCHEMA };
}

/** How messages name a location: the file path, or the URL without its password and the schema. */
export function describeLocation(location: StateLocation): string {
  if (location.kind === 'sqlite') return location.path;
  const url = new URL(location.url);
  if (url.password !== '') url.password = '***';
  return `${url.href} (schema ${location.schema})`;
}

/** The password a PostgreSQL URL carries, so that output can be scrubbed of it. */
export function urlPassword(raw: string | undefined): string | undefined {
  if (raw === undefined || !/^postgres(ql)?:\/\//.test(raw)) return undefined;
  try {
    const password = decodeURIComponent(new URL(raw).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** A state URL that names no usable location (exit 2). */
export class StateUrlError extends Error {
  constructor(url: string, problem: string) {
    super(`invalid configuration: state URL ${redactUrl(url)} ${problem}`);
    this.name = 'StateUrlError';
  }
}

function redactUrl(raw: string): string {
  const password = urlPassword(raw);
  return password === undefined ? raw : raw.replace(`:${encodeURIComponent(password)}@`, ':***@').replace(`:${password}@`, ':***@');
}
