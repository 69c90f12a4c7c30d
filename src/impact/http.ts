import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/** A 2xx answer whose body is still to be read. */
export interface OpenResponse {
  status: number;
  contentType: string;
  /** The body as it arrives; a cut-off body (reset, timeout) rejects the iteration. */
  body: AsyncIterable<Uint8Array>;
  /** Lets the rest of the body go unread, and its connection with it. */
  cancel(): void;
}

// As a browser's fetch follows: a read behind APPEND_SLASH or a moved host still lands.
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One HTTP exchange with FireFighter. Transport failures and non-2xx answers become ServiceErrors the retry loop
 * understands; a 2xx is returned as is.
 */
export async function exchange(request: FireFighterRequest): Promise<FireFighterResponse> {
  const response = await open(request);
  return { status: response.status, contentType: response.contentType, text: await bodyText(response.body, request) };
}

/**
 * A 2xx answer whose body is still to be read, as a stream; failures as in `exchange`. Through node:http rather than
 * fetch: a list of tens of megabytes arrives without the web streams' cost per chunk.
 */
export async function open(request: FireFighterRequest): Promise<OpenResponse> {
  const signal = AbortSignal.timeout(request.timeoutMs);
  let url = request.url;
  let headers = request.headers;
  let response: IncomingMessage;
  for (let hops = 0; ; hops += 1) {
    try {
      response = await send(request, url, headers, signal);
    } catch (error) {
      throw transportFailure(signal.aborted ? signal.reason : error, request);
    }
    const location = response.headers.location;
    // A redirected POST would turn into a GET and lose the signed body; reads may follow.
    if (request.method !== 'GET' || !REDIRECTS.has(response.statusCode ?? 0) || location === undefined || hops >= MAX_REDIRECTS) break;
    response.resume();
    const next = new URL(location, url);
    // As fetch does: the token goes to FireFighter's origin only, never to wherever a redirect points.
    if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
    url = next;
  }
  const status = response.statusCode ?? 0;
  const contentType = response.headers['content-type'] ?? '';
  const body = timedBody(response, signal);
  if (status >= 200 && status < 300) return { status, contentType, body, cancel: () => response.destroy() };
  const text = await bodyText(body, request);
  throw new ServiceError({
    service: 'impact',
    endpoint: request.endpoint,
    status,
    retryAfterMs: retryAfterMs(header(response, 'retry-after')),
    detail: scrub(errorDetail(contentType, text), request.secrets),
  });
}

function send(request: FireFighterRequest, url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const sent = { ...headers, ...(body && { 'Content-Length': String(body.length) }) };
    const outgoing = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: request.method, headers: sent, signal }, resolve);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The body, failing once the request's time is up (the timeout covers the whole exchange, as fetch's signal did). */
async function* timedBody(response: IncomingMessage, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const stop = () => response.destroy(signal.reason as Error);
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of response) {
      yield chunk as Buffer;
      // A body already buffered is iterated without a return to the event loop: other answers (JIRA's) would wait for its end.
      await new Promise(setImmediate);
    }
    // A connection closed before Content-Length's last byte ends the stream quietly: it is a cut-off body all the same.
    if (!response.complete) throw Object.assign(new Error('the body ended early'), { code: 'ECONNRESET' });
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    signal.removeEventListener('abort', stop);
    response.destroy();
  }
}

function header(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return typeof value === 'string' ? value : null;
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

async function bodyText(body: AsyncIterable<Uint8Array>, request: FireFighterRequest): Promise<string> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk);
  } catch (error) {
    throw transportFailure(error, request);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The socket error's code (ECONNREFUSED, ECONNRESET, ...), wherever it is on the cause chain; a timeout is ETIMEDOUT. */
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
