import type { ServerResponse } from 'node:http';

/** One entry of a drf-standardized-errors body. */
export interface DrfError {
  code: string;
  detail: string;
  attr: string | null;
}

export type DrfErrorType = 'client_error' | 'validation_error' | 'server_error';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Bytes as sent; '' for DRF's empty 200. */
  body: string | Buffer;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return serializedJsonReply(status, JSON.stringify(value), headers);
}

/** A reply of JSON already serialized (a cached list's bytes). */
export function serializedJsonReply(status: number, body: string | Buffer, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body };
}

/** DRF drops Content-Type when the rendered body is empty. */
export function emptyReply(status: number): Reply {
  return { status, headers: {}, body: '' };
}

export function drfErrorReply(status: number, type: DrfErrorType, errors: DrfError[], headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { type, errors }, headers);
}

export function clientError(status: number, code: string, detail: string, headers: Record<string, string> = {}): Reply {
  return drfErrorReply(status, 'client_error', [{ code, detail, attr: null }], headers);
}

/** What drf-standardized-errors turns an unhandled exception into when DEBUG is off. */
export function serverErrorReply(): Reply {
  return drfErrorReply(500, 'server_error', [{ code: 'error', detail: 'A server error occurred.', attr: null }]);
}

/** Django's own 404 for a path no URL pattern matches: HTML, not DRF JSON. */
export function djangoNotFoundReply(): Reply {
  const body = `<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n`;
  return { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  const bytes = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  response.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(bytes.length) });
  response.end(bytes);
}
