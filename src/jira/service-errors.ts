import { HttpException } from 'jira.js';
import { ServiceError } from '../net/errors.js';
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

/**
 * Turns a jira.js rejection into a ServiceError for `endpoint` ("METHOD /path", no query).
 * Only status, selected headers and the body's messages are read: never the request config, which holds credentials.
 */
export function toServiceError(error: unknown, endpoint: string, secrets: readonly string[] = []): ServiceError {
  if (error instanceof HttpException) {
    const response = (typeof error.response === 'object' ? error.response : {}) as { data?: unknown };
    const cause = error.cause as { response?: { headers?: Headers } } | undefined;
    return new ServiceError({
      service: 'jira',
      endpoint,
      status: error.status,
      retryAfterMs: retryAfterMs(cause?.response?.headers),
      // A proxy or a JIRA bug may echo the request, Authorization header included.
      detail: scrubDetail(errorDetail(response.data), secrets),
    });
  }
  if (isTransportFailure(error)) {
    return new ServiceError({ service: 'jira', endpoint, status: null, code: error.code ?? 'ERR_NETWORK' });
  }
  return new ServiceError({ service: 'jira', endpoint, status: null, code: 'ERR_UNKNOWN', detail: 'unexpected failure in the JIRA client' });
}

function scrubDetail(detail: string | null, secrets: readonly string[]): string | null {
  return detail === null ? null : scrubSecrets(detail, secrets);
}
