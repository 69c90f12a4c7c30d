/** The characters that matter inside an element: string quotes, nesting, and the commas that end it. */
const STRUCTURE = /["{}[\],]/g;
/** Inside a nested object or array no comma can end the element: skipping them halves the searches. */
const NESTED = /["{}[\]]/g;

/**
 * Splits a JSON array arriving in chunks into its elements' texts, one at a time, so that a list of tens of
 * thousands of incidents is never held whole: neither as one string nor as one parsed tree.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let state = 'before' as 'before' | 'between' | 'inside' | 'after';
  let depth = 0;
  let inString = false;
  // An escape's backslash ended the previous chunk: the chunk's first character is escaped.
  let escaped = false;
  let element = '';
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let i = 0;
    while (i < text.length) {
      if (state === 'inside') {
        if (inString) {
          if (escaped) {
            escaped = false;
            i += 1;
            continue;
          }
          // indexOf is native: far cheaper than a regex for a string's end, the most frequent search here.
          let quote = text.indexOf('"', i);
          while (quote !== -1 && backslashesBefore(text, quote, i) % 2 === 1) quote = text.indexOf('"', quote + 1);
          if (quote === -1) {
            // The string goes on in the next chunk; an odd run of backslashes here escapes its first character.
            escaped = backslashesBefore(text, text.length, i) % 2 === 1;
            break;
          }
          i = quote + 1;
          inString = false;
          continue;
        }
        const structure = depth > 0 ? NESTED : STRUCTURE;
        structure.lastIndex = i;
        const found = structure.exec(text);
        if (!found) break;
        const c = found[0];
        i = found.index + 1;
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth += 1;
        else if (c === '}' || c === ']') {
          if (depth > 0) {
            depth -= 1;
            continue;
          }
          // The array's own closing bracket ends the last element.
          yield element + text.slice(start, found.index);
          element = '';
          state = 'after';
        } else if (depth === 0) {
          yield element + text.slice(start, found.index);
          element = '';
          state = 'between';
        }
        continue;
      }
      const c = text[i] as string;
      i += 1;
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (state === 'before') {
        if (c !== '[') throw new SyntaxError('expected a JSON array');
        state = 'between';
      } else if (state === 'between') {
        if (c === ']' && element === '') {
          state = 'after';
          continue;
        }
        state = 'inside';
        start = i - 1;
        i -= 1;
        // A scalar element starts here; its first character is read again as part of it.
        if (c === '"') {
          inString = true;
          i += 1;
        }
      } else {
        throw new SyntaxError('unexpected text after the JSON array');
      }
    }
    if (state === 'inside') element += text.slice(start);
  }
  decoder.decode();
  if (state !== 'after') throw new SyntaxError('the JSON array ends early (truncated body)');
}

/** How many backslashes stand right before `at`, counting no further back than `from`. */
function backslashesBefore(text: string, at: number, from: number): number {
  let count = 0;
  while (at - count - 1 >= from && text[at - count - 1] === '\\') count += 1;
  return count;
}
