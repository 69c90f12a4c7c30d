import type { DrfError } from './responses.js';

/** A `jira:issue_updated` body that passed `JiraWebhookUpdateSerializer` validation; inner values are still unchecked. */
export interface JiraUpdatePayload {
  issue: Record<string, unknown>;
  changelog: Record<string, unknown>;
  user: Record<string, unknown>;
  webhookEvent: 'jira:issue_updated';
}

export type PayloadParse =
  | { ok: true; payload: JiraUpdatePayload }
  /** `decoded` is the body as parsed, undefined when it could not be. */
  | { ok: false; status: 400 | 415; errors: DrfError[]; decoded: unknown };

/** DRF's parser choice (JSON, form) and then the serializer's field checks (raid/serializers.py:357-368). */
export function parseJiraUpdateBody(rawBody: Buffer, contentType: string | undefined): PayloadParse {
  const data = parseRequestData(rawBody, contentType);
  if ('errors' in data) return { ok: false, status: data.status, errors: data.errors, decoded: undefined };
  const errors = validationErrors(data.value);
  if (errors.length > 0) return { ok: false, status: 400, errors, decoded: data.value };
  return { ok: true, payload: data.value as JiraUpdatePayload };
}

type RequestData = { value: unknown } | { status: 400 | 415; errors: DrfError[] };

function parseRequestData(rawBody: Buffer, contentType: string | undefined): RequestData {
  // DRF hands an empty body to the serializer as {} whatever its declared type.
  if (rawBody.length === 0) return { value: {} };
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json' || /^application\/[\w.+-]*\+json$/.test(mediaType)) {
    try {
      return { value: JSON.parse(rawBody.toString('utf8')) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { status: 400, errors: [{ code: 'parse_error', detail: `JSON parse error - ${reason}`, attr: null }] };
    }
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    // QueryDict.get gives the last value of a repeated key.
    return { value: Object.fromEntries(new URLSearchParams(rawBody.toString('utf8'))) };
  }
  return {
    status: 415,
    errors: [{ code: 'unsupported_media_type', detail: `Unsupported media type "${contentType ?? ''}" in request.`, attr: null }],
  };
}

const DICT_FIELDS = ['issue', 'changelog', 'user'] as const;

function validationErrors(data: unknown): DrfError[] {
  if (data === null) return [{ code: 'null', detail: 'This field may not be null.', attr: 'non_field_errors' }];
  if (!isDict(data)) {
    return [{ code: 'invalid', detail: `Invalid data. Expected a dictionary, but got ${pythonTypeName(data)}.`, attr: 'non_field_errors' }];
  }
  const errors: DrfError[] = [];
  for (const field of DICT_FIELDS) {
    const error = fieldPresenceError(data, field);
    if (error) errors.push(error);
    else if (!isDict(data[field])) {
      errors.push({ code: 'not_a_dict', detail: `Expected a dictionary of items but got type "${pythonTypeName(data[field])}".`, attr: field });
    }
  }
  const eventError = fieldPresenceError(data, 'webhookEvent');
  if (eventError) errors.push(eventError);
  else if (data.webhookEvent !== 'jira:issue_updated') {
    errors.push({ code: 'invalid_choice', detail: `"${pythonStr(data.webhookEvent)}" is not a valid choice.`, attr: 'webhookEvent' });
  }
  return errors;
}

function fieldPresenceError(data: Record<string, unknown>, field: string): DrfError | null {
  if (!Object.hasOwn(data, field)) return { code: 'required', detail: 'This field is required.', attr: field };
  if (data[field] === null) return { code: 'null', detail: 'This field may not be null.', attr: field };
  return null;
}

export function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `type(x).__name__` of a JSON value once Python has decoded it. */
function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return JSON.stringify(value);
}
