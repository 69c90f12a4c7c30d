/** Display width of plain text, one column per code point (the tables' text carries no escape codes). */
export function textWidth(text: string): number {
  return [...text].length;
}

/** `text` cut to `width` columns, ending in … when it was longer; unchanged without a width. */
export function truncated(text: string, width: number | undefined): string {
  if (width === undefined || textWidth(text) <= width) return text;
  return `${[...text].slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * cli-table3 `colWidths` (padding included) for rows to fit `width` columns with their borders: the widest
 * columns give way first, so short numbers stay whole; undefined (natural widths) when they fit or there is no width.
 */
export function fittedColumnWidths(rows: ReadonlyArray<ReadonlyArray<string | number>>, width: number | undefined): number[] | undefined {
  if (width === undefined || rows.length === 0) return undefined;
  const count = rows[0]?.length ?? 0;
  const widths = Array.from({ length: count }, (_, column) => 2 + Math.max(...rows.map((row) => textWidth(String(row[column] ?? '')))));
  const borders = count + 1;
  const MIN = 3;
  let total = widths.reduce((sum, w) => sum + w, 0) + borders;
  if (total <= width) return undefined;
  while (total > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] as number) <= MIN) break;
    widths[widest] = (widths[widest] as number) - 1;
    total -= 1;
  }
  return widths;
}
