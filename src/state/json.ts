export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** JSON null is stored as SQL NULL, so a nullable column reads as "no value" to plain SQL too. */
export function encodeJson(value: JsonValue): string | null {
  return value === null ? null : JSON.stringify(value);
}

export function decodeJson(text: string | null): JsonValue {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}
