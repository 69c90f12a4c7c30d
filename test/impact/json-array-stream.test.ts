import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonArrayElements } from '../../src/impact/json-array-stream.js';

async function* chunked(text: string, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? bytes.length);
    yield bytes.slice(at, at + size);
    at += size;
  }
}

async function elements(text: string, sizes: readonly number[] = []): Promise<unknown[]> {
  const out: unknown[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const element of jsonArrayElements(chunked(text, sizes))) out.push(JSON.parse(decoder.decode(element.bytes)));
  return out;
}

describe('jsonArrayElements', () => {
  it('yields each element of an array, one at a time', async () => {
    expect(await elements(' [ {"a": [1, {"b": "]}"}]}, "x,\\"y", 3, null, [] ] ')).toEqual([{ a: [1, { b: ']}' }] }, 'x,"y', 3, null, []]);
    expect(await elements('[]')).toEqual([]);
  });

  it('survives chunks cut anywhere, even inside a multi-byte character', async () => {
    const text = JSON.stringify([{ title: 'Checkout 🧯 down', emoji: '🌦️' }, { title: 'é' }]);
    for (let size = 1; size < 8; size++) expect(await elements(text, [size])).toEqual(JSON.parse(text));
  });

  it('keeps escaped quotes and backslashes inside strings, wherever a chunk ends', async () => {
    const text = JSON.stringify([{ a: 'say \"hi\" \\', b: '\\\\', c: 'x\\"]' }, 'tail\\']);
    for (let size = 1; size < 12; size++) expect(await elements(text, [size])).toEqual(JSON.parse(text));
  });

  it('refuses what is not an array, and a truncated body', async () => {
    await expect(elements('{"detail": "not a list"}')).rejects.toThrow('expected a JSON array');
    await expect(elements('[{"id": 1}, {"id": 2')).rejects.toThrow('truncated');
    await expect(elements('[1] [2]')).rejects.toThrow('after the JSON array');
  });

  it("gives each element's own bytes, the same however the body is chunked (what its digest is taken over)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1 }), async (array, sizes) => {
        const texts: string[] = [];
        for await (const element of jsonArrayElements(chunked(JSON.stringify(array), sizes))) texts.push(Buffer.from(element.bytes).toString('utf8'));
        expect(texts).toEqual(array.map((value) => JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('passes over an element the recogniser knows whole within a chunk, and gives the same elements as a plain split', async () => {
    const value = fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.array(fc.jsonValue(), { maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), fc.array(fc.boolean()), async (array, sizes, knows) => {
        const texts = array.map((item) => JSON.stringify(item));
        const known = new Set(texts.filter((_, index) => knows[index] === true));
        // Knows a text wherever it starts, as the client's digests do.
        const recognise = (chunk: Uint8Array, start: number) => {
          for (const text of known) {
            const bytes = Buffer.from(text);
            if (start + bytes.length <= chunk.length && Buffer.from(chunk.subarray(start, start + bytes.length)).equals(bytes)) return { length: bytes.length, name: text };
          }
          return undefined;
        };
        const seen: Array<{ text: string; known: string | undefined }> = [];
        for await (const element of jsonArrayElements(chunked(`[ ${texts.join(", ")}]`, sizes), recognise)) seen.push({ text: Buffer.from(element.bytes).toString('utf8'), known: element.known });
        expect(seen.map((element) => element.text)).toEqual(texts);
        for (const element of seen) if (element.known !== undefined) expect(element.known).toBe(element.text);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what follows a recognised element unless it is a comma or the closing bracket', async () => {
    const recognise = (chunk: Uint8Array, start: number) => (chunk[start] === 0x7b ? { length: 8, name: 'known' } : undefined);
    const drained = async (text: string) => {
      for await (const element of jsonArrayElements(chunked(text, []), recognise)) void element;
    };
    await expect(drained('[{"id":1} {"id":2}]')).rejects.toThrow('expected , or ] after an element');
    await expect(drained('[{"id":1}')).rejects.toThrow('truncated');
    await expect(drained('[{"id":1} , {"id":2}]')).resolves.toBeUndefined();
  });

  it('agrees with JSON.parse on any array, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1 }), async (array, sizes) => {
        const text = JSON.stringify(array);
        expect(await elements(text, sizes)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
