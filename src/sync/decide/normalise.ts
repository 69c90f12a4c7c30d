/** Formatting noise (line endings, trailing white space, trailing blank lines) is not drift. */
// Anything normalising would change: a CR, blanks before a line end or at the end, newlines at either end.
const NOISE = /\r|[ \t]\n|[ \t]$|^\n|\n$/;

export function normaliseText(text: string | null | undefined): string {
  if (!text) return '';
  // Most texts are already clean: a one-line text ending in neither blank is, without a regex (the planner's hot path).
  const last = text.charCodeAt(text.length - 1);
  if (last !== 0x20 && last !== 0x09 && !text.includes('\n') && !text.includes('\r')) return text;
  if (!NOISE.test(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/u, ''))
    .join('\n')
    .replace(/\n+$/u, '')
    .replace(/^\n+/u, '');
}

/** JIRA's summary is one line of at most 255 characters: newlines become spaces, a longer title is cut with "…". */
export const SUMMARY_MAX = 255;

export function titleToSummary(title: string): string {
  const oneLine = normaliseText(title).replace(/\s*\n\s*/g, ' ').trim();
  return oneLine.length <= SUMMARY_MAX ? oneLine : `${oneLine.slice(0, SUMMARY_MAX - 1)}…`;
}
