/** The fields raidsync keeps in agreement, in the order a plan lists them. */
export const SYNC_FIELDS = ['title', 'description', 'priority', 'status', 'commander'] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

/** FireFighter has no API that writes title, description or commander: those flow Impact → JIRA only. */
export const TWO_WAY_FIELDS: ReadonlySet<SyncField> = new Set(['priority', 'status']);

export function isTwoWay(field: SyncField): boolean {
  return TWO_WAY_FIELDS.has(field);
}
