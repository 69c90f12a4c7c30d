import { assertIssueKey } from './issue-keys.js';

/**
 * A JQL string literal: double-quoted, with backslash, quote and line breaks escaped, so no value (a reserved word
 * such as a project `AND`, a label with a space, a status with a quote) can change the query's meaning.
 */
export function jqlString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (char) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[char] ?? char);
  return `"${escaped}"`;
}

/** `("a", "b")`: the list of an `in` clause, every value quoted. */
export function jqlList(values: readonly string[]): string {
  return `(${values.map(jqlString).join(', ')})`;
}

/** `key in ("A-1", "A-2")` for keys that pass `assertIssueKey`. */
export function keyInJql(keys: readonly string[]): string {
  for (const key of keys) assertIssueKey(key);
  return `key in ${jqlList(keys)}`;
}
