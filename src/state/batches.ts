// Keeps a multi-row statement well under SQLite's limit on bound parameters (32766 with our widest table).
const ROWS_PER_STATEMENT = 500;

export function* inBatches<T>(rows: readonly T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    yield rows.slice(start, start + ROWS_PER_STATEMENT);
  }
}
