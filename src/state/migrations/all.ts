import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.js';

/** Every migration this build knows, by name; listed statically so they survive bundling (unlike FileMigrationProvider). */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
