import { hash } from 'node:crypto';
import type { ElementRecogniser } from './json-array-stream.js';

/** What tells one list element from another, byte for byte: its SHA-256 and its length (`<digest>.<bytes>`). */
export function elementDigest(bytes: Uint8Array): string {
  return `${hash('sha256', bytes, 'base64url').slice(0, 22)}.${bytes.length}`;
}

function lengthOf(digest: string): number {
  return Number(digest.slice(digest.lastIndexOf('.') + 1));
}

/**
 * The list elements a caller already knows, by digest, in the order the list gave them last time (by id). Where the
 * next element starts, the next known one (or the one after, when one between changed) is hashed over its own
 * length: the same bytes are recognised without being scanned. Any element looked up by its digest tells where the
 * list now is.
 */
export class KnownElements<K> {
  readonly #known: ReadonlyMap<string, K>;
  readonly #order: readonly string[];
  readonly #position: ReadonlyMap<string, number>;
  #next = 0;

  constructor(known: ReadonlyMap<string, K>) {
    this.#known = known;
    this.#order = [...known.keys()];
    this.#position = new Map(this.#order.map((digest, index) => [digest, index]));
  }

  readonly recognise: ElementRecogniser = (chunk, start) => {
    for (const at of [this.#next, this.#next + 1]) {
      const digest = this.#order[at];
      if (digest === undefined) continue;
      const length = lengthOf(digest);
      if (start + length > chunk.length || elementDigest(chunk.subarray(start, start + length)) !== digest) continue;
      this.#next = at + 1;
      return { length, name: digest };
    }
    return undefined;
  };

  /** What the caller knew of the element with this digest, if anything. */
  lookup(digest: string): K | undefined {
    const at = this.#position.get(digest);
    if (at !== undefined && at >= this.#next) this.#next = at + 1;
    return this.#known.get(digest);
  }
}
