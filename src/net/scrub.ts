// Shorter values would also blank ordinary words; no credential is this short.
const MIN_SECRET_LENGTH = 4;

/** `text` with every occurrence of every secret replaced by `***`, whatever path the text took (an echoed request, a URL). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).reduce((out, secret) => out.split(secret).join('***'), text);
}
