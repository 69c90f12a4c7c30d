import { MalformedResponseError, ServiceError } from '../net/errors.js';
import { scrubSecrets } from '../net/scrub.js';

export interface FireFighterRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Method and path only, for errors: `GET /api/v2/firefighter/incidents/`. */
  endpoint: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Credentials to scrub from anything the server echoes back into an error. */
  secrets: string[];
}

export interface FireFighterResponse {
  status: number;
  contentType: string;
  text: string;
}

const DETAIL_LIMIT = 300;

/**
 * One HTTP exchange with FireFighter through Node's fetch. Transport failures and non-2xx answers become
 * ServiceErrors the retry loop understands; a 2xx is returned as is.
 */
export async function exchange(request: FireFighterRequest): Promise<FireFighterResponse> {
  const response = await open(request);
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, text: await bodyText(response, request) };
}

/** A 2xx answer whose body is still to be read, as a stream; failures as in `exchange`. */
export async function open(request: FireFighterRequest): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // A redirected POST would turn into a GET and lose the signed body; reads may follow (APPEND_SLASH).
      redirect: request.method === 'GET' ? 'follow' : 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw transportFailure(error, request);
  }
  if (response.status >= 200 && response.status < 300) return response;
  const contentType = response.headers.get('content-type') ?? '';
  const text = await bodyText(response, request);
  throw new ServiceError({
    service: 'impact',
    endpoint: request.endpoint,
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    detail: scrub(errorDetail(contentType, text), request.secrets),
  });
}

/** The body of a 2xx read: JSON, or a MalformedResponseError saying what came instead (an SSO login page, say). */
export function jsonBody(response: FireFighterResponse, endpoint: string): unknown {
  const mediaType = mediaTypeOf(response.contentType);
  if (!isJsonMediaType(mediaType)) {
    throw new MalformedResponseError('impact', endpoint, '', `expected JSON, got ${mediaType || 'a body without Content-Type'}`);
  }
  try {
    return JSON.parse(response.text);
  } catch {
    throw new MalformedResponseError('impact', endpoint, '', 'is not valid JSON');
  }
}

export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** A body cut off mid-way (reset, timeout) is a transport failure the retry loop may retry. */
export function transportFailure(error: unknown, request: Pick<FireFighterRequest, 'endpoint'>): ServiceError {
  return new ServiceError({ service: 'impact', endpoint: request.endpoint, status: null, code: transportCode(error) });
}

async function bodyText(response: Response, request: FireFighterRequest): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw transportFailure(error, request);
  }
}

/** Node's fetch wraps the socket error: `TypeError('fetch failed')` with the code on its cause. */
function transportCode(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'ETIMEDOUT';
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'network error';
}

/** Retry-After is delta-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** drf-standardized-errors bodies become `code: detail (attr)`; other bodies say nothing useful. */
function errorDetail(contentType: string, text: string): string | null {
  if (!isJsonMediaType(mediaTypeOf(contentType))) return null;
  try {
    const body: unknown = JSON.parse(text);
    const errors = (body as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return null;
    const parts = errors.flatMap((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { code, detail, attr } = entry as Record<string, unknown>;
      const attrText = typeof attr === 'string' ? ` (${attr})` : '';
      return typeof detail === 'string' ? [`${typeof code === 'string' ? `${code}: ` : ''}${detail}${attrText}`] : [];
    });
    return parts.length > 0 ? parts.join('; ').slice(0, DETAIL_LIMIT) : null;
  } catch {
    return null;
  }
}

function scrub(detail: string | null, secrets: string[]): string | null {
  return detail === null ? null : scrubSecrets(detail, secrets);
}
