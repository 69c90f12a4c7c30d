// Shorter values would also blank ordinary words; no credential is this short.
const MIN_SECRET_LENGTH = 4;

/**
 * `text` with every occurrence of every secret replaced by `***`, whatever path the text took (an echoed request,
 * a URL): as is, URL-encoded, and in base64 (padded or not, standard or URL-safe, URL-encoded), as a header carries it.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const forms = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap(encodedForms))];
  // Longest first, so that a padded form is not left half-replaced by its unpadded prefix.
  forms.sort((a, b) => b.length - a.length);
  return forms.reduce((out, form) => out.split(form).join('***'), text);
}

function encodedForms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  const unpadded = base64.replace(/=+$/, '');
  const urlSafe = Buffer.from(secret).toString('base64url');
  // A secret configured in its base64 form (the Basic header's) is also found without its padding.
  const asGiven = [secret, secret.replace(/=+$/, '')];
  return [...asGiven, base64, unpadded, urlSafe].flatMap((form) => [form, encodeURIComponent(form)]).filter((form) => form.length >= MIN_SECRET_LENGTH);
}
