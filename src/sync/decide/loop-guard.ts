import type { SyncField } from '../fields.js';
import type { Direction } from './plan.js';

/** A write raidsync made, kept for `sync.loopWindowSeconds` under the seed's key `sync:{entity_type}:{entity_id}:{direction}`. */
export interface LoopGuard {
  key: string;
  field: SyncField;
  value: string | null;
  writtenAt: number;
}

export type GuardedEntity = { type: 'jira_issue'; id: string } | { type: 'incident'; id: number };

export function loopGuardKey(entity: GuardedEntity, direction: Direction): string {
  return `sync:${entity.type}:${entity.id}:${direction}`;
}

export class LoopGuards {
  private readonly byKey = new Map<string, LoopGuard>();

  constructor(guards: Iterable<LoopGuard>) {
    for (const guard of guards) this.byKey.set(`${guard.key}|${guard.field}`, guard);
  }

  /** The write to this entity's field still inside the window, if any. */
  recent(entity: GuardedEntity, direction: Direction, field: SyncField, now: number, windowMs: number): LoopGuard | null {
    const guard = this.byKey.get(`${loopGuardKey(entity, direction)}|${field}`);
    // A guard dated after now (the clock was set back) is expired: honoured, it would block edits until the clock caught up.
    return guard && guard.writtenAt <= now && now - guard.writtenAt < windowMs ? guard : null;
  }
}
