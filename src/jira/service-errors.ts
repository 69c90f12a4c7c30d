import { HttpException } from 'jira.js';
import { ServiceError, type ServiceErrorInit } from '../net/errors.js';
import { scrubSecrets } from '../net/scrub.js';

const DETAIL_LIMIT = 300;

type Headers = Record<string, unknown>;

/** What a failed jira.js call carries: an HttpException (JIRA answered) or a bare AxiosError (transport). */
interface TransportFailure {
  isAxiosError: true;
  code?: string;
}

function isTransportFailure(error: unknown): error is TransportFailure {
  return typeof error === 'object' && error !== null && (error as { isAxiosError?: unknown }).isAxiosError === true;
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After in seconds or as an HTTP date, else Cloud's X-RateLimit-Reset timestamp. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = header(headers, 'x-ratelimit-reset');
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return null;
}

/** JIRA's ErrorCollection as one line: the messages, then `field: message` pairs. */
export function errorDetail(body: unknown): string | null {
  let detail: string;
  if (typeof body === 'object' && body !== null) {
    const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
    const messages = Array.isArray(errorMessages) ? errorMessages.filter((message): message is string => typeof message === 'string') : [];
    const fieldMessages =
      typeof errors === 'object' && errors !== null ? Object.entries(errors).map(([field, message]) => `${field}: ${String(message)}`) : [];
    detail = [...messages, ...fieldMessages].join('; ');
  } else if (typeof body === 'string') {
    // Proxies and gateways answer with HTML; only a short text excerpt helps a person.
    detail = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  } else {
    return null;
  }
  if (detail === '') return null;
  return detail.length > DETAIL_LIMIT ? `${detail.slice(0, DETAIL_LIMIT)}…` : detail;
}

/** A field JIRA refused, with its message: `{field: 'assignee', message: "User 'x' cannot be assigned issues."}`. */
export interface RefusedField {
  field: string;
  message: string;
}

/** A 400 whose ErrorCollection names fields: the rest of the request may well be acceptable without them. */
export class FieldsRefusedError extends ServiceError {
  readonly refused: readonly RefusedField[];

  constructor(init: ServiceErrorInit, refused: readonly RefusedField[]) {
    super(init);
    this.name = 'FieldsRefusedError';
    this.refused = refused;
  }
}

/** The `errors` of JIRA's ErrorCollection, field by field. */
function refusedFields(body: unknown, secrets: readonly string[]): RefusedField[] {
  if (typeof body !== 'object' || body === null) return [];
  const { errors } = body as { errors?: unknown };
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return [];
  return Object.entries(errors).map(([field, message]) => ({ field, message: scrubDetail(String(message), secrets) ?? '' }));
}

/**
 * Turns a jira.js rejection into a ServiceError for `endpoint` ("METHOD /path", no query).
 * Only status, selected headers and the body's messages are read: never the request config, which holds credentials.
 */
export function toServiceError(error: unknown, endpoint: string, secrets: readonly string[] = []): ServiceError {
  if (error instanceof HttpException) {
    const response = (typeof error.response === 'object' ? error.response : {}) as { data?: unknown };
    const cause = error.cause as { response?: { headers?: Headers } } | undefined;
    const init: ServiceErrorInit = {
      service: 'jira',
      endpoint,
      status: error.status,
      retryAfterMs: retryAfterMs(cause?.response?.headers),
      rateLimitReason: header(cause?.response?.headers, 'ratelimit-reason') ?? null,
      // A proxy or a JIRA bug may echo the request, Authorization header included.
      detail: scrubDetail(errorDetail(response.data), secrets),
    };
    const refused = error.status === 400 ? refusedFields(response.data, secrets) : [];
    return refused.length > 0 ? new FieldsRefusedError(init, refused) : new ServiceError(init);
  }
  if (isTransportFailure(error)) {
    return new ServiceError({ service: 'jira', endpoint, status: null, code: error.code ?? 'ERR_NETWORK' });
  }
  return new ServiceError({ service: 'jira', endpoint, status: null, code: 'ERR_UNKNOWN', detail: 'unexpected failure in the JIRA client' });
}

function scrubDetail(detail: string | null, secrets: readonly string[]): string | null {
  return detail === null ? null : scrubSecrets(detail, secrets);
}
