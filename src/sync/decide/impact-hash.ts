import { hash } from 'node:crypto';
import type { Incident } from '../../impact/incident.js';
import { FIELD_ADAPTERS } from './field-adapters.js';
import type { SyncField } from '../fields.js';

/**
 * A digest of a pair's Impact values for these fields, as the planner compares them: `pulled` are values raidsync
 * just wrote to FireFighter, which the incident read before the write does not show yet.
 */
export function impactHash(incident: Incident, fields: readonly SyncField[], pulled: ReadonlyMap<SyncField, string | null> = new Map()): string {
  const values = fields.map((field) => [field, pulled.has(field) ? pulled.get(field) : FIELD_ADAPTERS[field].impactValue(incident)]);
  // The one-shot hash, not a Hash object per pair: the same digest at a fifth of the cost.
  return hash('sha256', JSON.stringify(values), 'base64url').slice(0, 22);
}
