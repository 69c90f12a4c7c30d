import type { Kysely } from 'kysely';
import type { Database } from '../state/schema.js';
import { cacheUsers, loadUserCache } from '../state/user-cache.js';
import type { DirectoryCache } from './directory.js';
import type { DirectoryEntry } from './decide/user-directory.js';

/** A day: people rarely change email or account, and a stale entry only delays an assignee change by a run. */
const TTL_MS = 24 * 60 * 60 * 1000;

/** The state file's user cache, seen as the directory resolver's cache. */
export async function directoryCache(db: Kysely<Database>, now: Date): Promise<DirectoryCache> {
  const cached = await loadUserCache(db, now);
  return {
    get(email) {
      const user = cached.get(email);
      if (!user) return undefined;
      if (user.resolved === 'none') return { outcome: 'none' };
      if (user.resolved === 'many') return { outcome: 'many', count: null };
      const account = user.accountId ?? user.name;
      return account ? { outcome: 'one', account, displayName: user.displayName } : undefined;
    },
    async put(email, entry) {
      const user = toCachedUser(email, entry, new Date(now.getTime() + TTL_MS));
      // Kept in memory too: a run resolves commanders slice by slice and must not search the same email twice.
      cached.set(email, user);
      await cacheUsers(db, [user]);
    },
  };
}

function toCachedUser(email: string, entry: DirectoryEntry, expiresAt: Date) {
  return {
    email,
    accountId: entry.outcome === 'one' ? entry.account : null,
    name: null,
    displayName: entry.outcome === 'one' ? entry.displayName : null,
    resolved: entry.outcome,
    expiresAt,
  };
}
