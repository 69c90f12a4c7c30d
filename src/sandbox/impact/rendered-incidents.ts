import { renderIncident, type RenderOptions } from './incident-json.js';
import type { EmulatedIncident, IncidentStore } from './store.js';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * Each incident's serialized JSON, as UTF-8, kept until the incident changes: a list of 10,000 incidents is then one
 * copy of bytes, and the time a benchmark measures is raidsync's, not the emulator's serializer's.
 */
export class RenderedIncidents {
  readonly #cache = new Map<string, { revision: number; bytes: Buffer }>();

  constructor(private readonly store: IncidentStore) {}

  private bytes(incident: EmulatedIncident, options: RenderOptions): Buffer {
    const key = `${incident.id}:${options.withTags}:${options.baseUrl}`;
    const revision = this.store.revision(incident);
    const cached = this.#cache.get(key);
    if (cached?.revision === revision) return cached.bytes;
    const bytes = Buffer.from(JSON.stringify(renderIncident(incident, this.store, options)));
    this.#cache.set(key, { revision, bytes });
    return bytes;
  }

  /** The list body, byte for byte what `JSON.stringify` of the rendered array would give. */
  list(incidents: readonly EmulatedIncident[], options: RenderOptions): Buffer {
    const parts: Buffer[] = [OPEN];
    for (const [index, incident] of incidents.entries()) {
      if (index > 0) parts.push(COMMA);
      parts.push(this.bytes(incident, options));
    }
    parts.push(CLOSE);
    return Buffer.concat(parts);
  }
}
