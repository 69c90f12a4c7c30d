/**
 * Splits a JSON array arriving in chunks into its elements' texts, one at a time, so that a list of tens of
 * thousands of incidents is never held whole: neither as one string nor as one parsed tree.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let state = 'before' as 'before' | 'between' | 'inside' | 'after';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (state === 'inside') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth += 1;
        else if (c === '}' || c === ']') {
          if (depth === 0) {
            // The array's own closing bracket ends a scalar element.
            yield element + text.slice(start, i);
            element = '';
            state = 'after';
            continue;
          }
          depth -= 1;
        } else if (c === ',' && depth === 0) {
          yield element + text.slice(start, i);
          element = '';
          state = 'between';
        }
        continue;
      }
      if (/\s/.test(c)) continue;
      if (state === 'before') {
        if (c !== '[') throw new SyntaxError('expected a JSON array');
        state = 'between';
      } else if (state === 'between') {
        if (c === ']' && element === '') {
          state = 'after';
          continue;
        }
        state = 'inside';
        start = i;
        i -= 1;
      } else {
        throw new SyntaxError('unexpected text after the JSON array');
      }
    }
    if (state === 'inside') element += text.slice(start);
  }
  decoder.decode();
  if (state !== 'after') throw new SyntaxError('the JSON array ends early (truncated body)');
}
