// C0 (but tab and newline), DEL and C1: what a terminal would act on instead of showing.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every control character a terminal acts on shown as `\xNN`, so service data cannot drive the terminal. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A copy of `value` with every string in it escaped: for a report whose strings come from the services, before styling. */
export function escapedDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => escapedDeep(item)) as T;
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [escapedDeep(key), escapedDeep(item)])) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapedDeep(item)])) as T;
}
