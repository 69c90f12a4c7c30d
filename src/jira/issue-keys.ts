/** JIRA issue keys: project key, dash, number. JQL is only ever built from keys that pass this. */
export const ISSUE_KEY_PATTERN = /^[A-Z][A-Z0-9_]*-\d+$/;

export function assertIssueKey(key: string): void {
  if (!ISSUE_KEY_PATTERN.test(key)) throw new RangeError(`Not a JIRA issue key: ${JSON.stringify(key)}`);
}

/** `key in (A-1, A-2)` for keys that already passed `assertIssueKey`. */
export function keyInJql(keys: string[]): string {
  for (const key of keys) assertIssueKey(key);
  return `key in (${keys.join(', ')})`;
}
