/** JIRA issue keys: project key, dash, number. Checked before a key goes into a path or a query. */
export const ISSUE_KEY_PATTERN = /^[A-Z][A-Z0-9_]*-\d+$/;

export function assertIssueKey(key: string): void {
  if (!ISSUE_KEY_PATTERN.test(key)) throw new RangeError(`Not a JIRA issue key: ${JSON.stringify(key)}`);
}
