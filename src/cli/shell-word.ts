/** A value as one POSIX shell word, single-quoted. */
export function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A value as one POSIX shell word: as it is when the shell leaves it alone, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : shellQuoted(value);
}
