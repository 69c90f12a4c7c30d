import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.js';
import * as pairInSync from './0002_pair_in_sync.js';
import * as pairImpactHash from './0004_pair_impact_hash.js';
import * as workflowPaths from './0003_workflow_paths.js';
import * as writtenIssues from './0005_written_issues.js';
import * as pairListedDigest from './0006_pair_listed_digest.js';

/** Every migration this build knows, by name; listed statically so they survive bundling (unlike FileMigrationProvider). */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_pair_in_sync': pairInSync,
  '0003_workflow_paths': workflowPaths,
  '0004_pair_impact_hash': pairImpactHash,
  '0005_written_issues': writtenIssues,
  '0006_pair_listed_digest': pairListedDigest,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
