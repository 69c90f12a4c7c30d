import type { JiraClient } from '../jira/client.js';
import type { JiraUser } from '../jira/issue.js';
import type { DirectoryEntry, UserDirectory } from './decide/user-directory.js';

/** Cached lookups, so that a cron run does not search JIRA's users for every commander every few minutes. */
export interface DirectoryCache {
  get(email: string): DirectoryEntry | undefined;
  put(email: string, entry: DirectoryEntry): Promise<void>;
}

/** Resolves each commander email to exactly one JIRA account: JIRA's user search matches prefixes and may hide emails. */
export async function resolveDirectory(
  emails: Iterable<string>,
  jira: JiraClient,
  deployment: 'cloud' | 'datacenter',
  cache: DirectoryCache,
): Promise<UserDirectory> {
  const directory = new Map<string, DirectoryEntry>();
  for (const email of new Set(emails)) {
    const cached = cache.get(email);
    if (cached) {
      directory.set(email, cached);
      continue;
    }
    const entry = pickExact(email, await jira.findUsersByEmail(email), deployment);
    await cache.put(email, entry);
    directory.set(email, entry);
  }
  return directory;
}

export function pickExact(email: string, candidates: readonly JiraUser[], deployment: 'cloud' | 'datacenter'): DirectoryEntry {
  const exact = candidates.filter((user) => user.email?.toLowerCase() === email.toLowerCase());
  const accounts = new Set(exact.map((user) => (deployment === 'cloud' ? user.accountId : user.name)));
  if (accounts.size === 0) return { outcome: 'none' };
  if (accounts.size > 1) return { outcome: 'many', count: accounts.size };
  const user = exact[0] as JiraUser;
  const account = deployment === 'cloud' ? user.accountId : user.name;
  return account ? { outcome: 'one', account, displayName: user.displayName } : { outcome: 'none' };
}
