/** Formatting noise (line endings, trailing white space, trailing blank lines) is not drift. */
export function normaliseText(text: string | null | undefined): string {
  if (!text) return '';
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
