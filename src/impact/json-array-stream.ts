const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** One element of the array: its bytes, and what the recogniser called it when it knew them. */
export interface ArrayElement {
  bytes: Uint8Array;
  known?: string;
}

/**
 * Asked at an element's first byte: whether the bytes from there are, to the byte, an element the caller knows
 * whole within this chunk (its length, and what the caller calls it). Those bytes are then not scanned.
 */
export type ElementRecogniser = (chunk: Uint8Array, start: number) => { length: number; name: string } | undefined;

/**
 * Splits a JSON array arriving in chunks into its elements' bytes, one at a time, so that a list of tens of
 * thousands of incidents is never held whole: neither as one string nor as one parsed tree. It scans bytes, not
 * decoded text: quotes, backslashes and brackets are ASCII, which no UTF-8 sequence holds. An element may be a view
 * of the chunk it came in: chunks must not be reused.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<Uint8Array>, recognise?: ElementRecogniser): AsyncGenerator<ArrayElement> {
  // 'ended': a recognised element was passed over whole; a comma or the closing bracket must follow.
  let state = 'before' as 'before' | 'between' | 'inside' | 'ended' | 'after';
  let depth = 0;
  let inString = false;
  // An escape's backslash ended the previous chunk: the chunk's first byte is escaped.
  let escaped = false;
  // The current element's bytes from earlier chunks.
  let pending: Uint8Array[] = [];
  const element = (chunk: Uint8Array, start: number, end: number): Uint8Array => {
    const tail = chunk.subarray(start, end);
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    return bytes;
  };
  for await (const chunk of chunks) {
    let start = 0;
    let i = 0;
    while (i < chunk.length) {
      if (state === 'inside') {
        if (inString) {
          if (escaped) {
            escaped = false;
            i += 1;
            continue;
          }
          // indexOf is native: far cheaper than a loop for a string's end, the most frequent search here.
          let quote = chunk.indexOf(QUOTE, i);
          while (quote !== -1 && backslashesBefore(chunk, quote, i) % 2 === 1) quote = chunk.indexOf(QUOTE, quote + 1);
          if (quote === -1) {
            // The string goes on in the next chunk; an odd run of backslashes here escapes its first byte.
            escaped = backslashesBefore(chunk, chunk.length, i) % 2 === 1;
            break;
          }
          i = quote + 1;
          inString = false;
          continue;
        }
        const byte = chunk[i] as number;
        i += 1;
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (depth > 0) {
            depth -= 1;
            continue;
          }
          // The array's own closing bracket ends the last element.
          yield { bytes: element(chunk, start, i - 1) };
          state = 'after';
        } else if (byte === COMMA && depth === 0) {
          yield { bytes: element(chunk, start, i - 1) };
          state = 'between';
        }
        continue;
      }
      const byte = chunk[i] as number;
      i += 1;
      if (isSpace(byte)) continue;
      if (state === 'before') {
        if (byte !== OPEN_BRACKET) throw new SyntaxError('expected a JSON array');
        state = 'between';
      } else if (state === 'between') {
        if (byte === CLOSE_BRACKET && pending.length === 0) {
          state = 'after';
          continue;
        }
        // Only an object or an array: a number could be the start of a longer one.
        const known = byte === OPEN_BRACE || byte === OPEN_BRACKET ? recognise?.(chunk, i - 1) : undefined;
        if (known) {
          yield { bytes: chunk.subarray(i - 1, i - 1 + known.length), known: known.name };
          i += known.length - 1;
          state = 'ended';
          continue;
        }
        state = 'inside';
        start = i - 1;
        // A scalar string element starts here; any other element's first byte is read again as part of it.
        if (byte === QUOTE) inString = true;
        else i -= 1;
      } else if (state === 'ended') {
        if (byte === COMMA) state = 'between';
        else if (byte === CLOSE_BRACKET) state = 'after';
        else throw new SyntaxError('expected , or ] after an element');
      } else {
        throw new SyntaxError('unexpected text after the JSON array');
      }
    }
    if (state === 'inside') pending.push(chunk.subarray(start));
  }
  if (state !== 'after') throw new SyntaxError('the JSON array ends early (truncated body)');
}

/** How many backslashes stand right before `at`, counting no further back than `from`. */
function backslashesBefore(bytes: Uint8Array, at: number, from: number): number {
  let count = 0;
  while (at - count - 1 >= from && bytes[at - count - 1] === BACKSLASH) count += 1;
  return count;
}
