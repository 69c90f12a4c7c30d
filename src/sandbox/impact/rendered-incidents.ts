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
  #lastList: RenderedList | undefined;

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
    // The same incidents at the same revisions as the last list: the same bytes, not another 18 MB copy of them.
    const revisions = incidents.map((incident) => this.store.revision(incident));
    const last = this.#lastList;
    if (last && last.options === `${options.withTags}:${options.baseUrl}` && sameList(last, incidents, revisions)) return last.body;
    const parts: Buffer[] = [OPEN];
    for (const [index, incident] of incidents.entries()) {
      if (index > 0) parts.push(COMMA);
      parts.push(this.bytes(incident, options));
    }
    parts.push(CLOSE);
    const body = Buffer.concat(parts);
    this.#lastList = { options: `${options.withTags}:${options.baseUrl}`, incidents: [...incidents], revisions, body };
    return body;
  }
}

interface RenderedList {
  options: string;
  incidents: readonly EmulatedIncident[];
  revisions: readonly number[];
  body: Buffer;
}

function sameList(last: RenderedList, incidents: readonly EmulatedIncident[], revisions: readonly number[]): boolean {
  return last.incidents.length === incidents.length && incidents.every((incident, index) => last.incidents[index] === incident && last.revisions[index] === revisions[index]);
}
