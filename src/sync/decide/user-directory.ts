/** What raidsync knows of the JIRA account behind a commander's email. */
export type DirectoryEntry =
  | { outcome: 'one'; account: string; displayName: string | null }
  | { outcome: 'none' }
  | { outcome: 'many'; count: number | null };

/** Commander email (lower-cased) → JIRA account, resolved before planning so the planner stays pure. */
export type UserDirectory = ReadonlyMap<string, DirectoryEntry>;
