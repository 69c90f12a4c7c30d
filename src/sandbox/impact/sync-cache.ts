/**
 * FireFighter's loop-prevention cache (Redis in production): keys `sync:impact_to_jira:{incident}:{field}:{value}`
 * set by its Impact→JIRA push (raid/signals/incident_updated.py:39-45) and taken, single use, by its webhook
 * (raid/serializers.py:645-674).
 */
export class SyncCache {
  private readonly expiries = new Map<string, number>();

  /** `ttlMs`: JIRA_SYNC_CACHE_TIMEOUT, 60 s unless a test shortens it. */
  constructor(private readonly ttlMs: number = 60_000) {}

  /** `_set_impact_to_jira_cache`. */
  set(incidentId: number, field: string, value: unknown, now: number = Date.now()): void {
    this.expiries.set(cacheKey(incidentId, field, value), now + this.ttlMs);
  }

  /** `cache.get` then `cache.delete` on a hit: true when the key was live. */
  take(incidentId: number, field: string, value: unknown, now: number = Date.now()): boolean {
    const key = cacheKey(incidentId, field, value);
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    this.expiries.delete(key);
    return expiry > now;
  }

  /** The live keys, for tests to see what FireFighter remembers. */
  keys(now: number = Date.now()): string[] {
    return [...this.expiries].filter(([, expiry]) => expiry > now).map(([key]) => key);
  }
}

function cacheKey(incidentId: number, field: string, value: unknown): string {
  return `sync:impact_to_jira:${incidentId}:${field}:${normalizeCacheValue(value)}`;
}

/** `normalize_cache_value` (raid/utils.py:43-52): None → "", str → strip().lower(), else str(int(v)). */
export function normalizeCacheValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
  if (typeof value === 'boolean') return value ? '1' : '0';
  return JSON.stringify(value).trim().toLowerCase();
}
