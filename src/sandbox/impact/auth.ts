import { createHmac, timingSafeEqual } from 'node:crypto';
import { clientError, type Reply } from './responses.js';

/** What DRF concluded about the caller: nobody (try the next authenticator), someone, or a refusal. */
export type AuthOutcome<T> = { kind: 'anonymous' } | { kind: 'authenticated'; principal: T } | { kind: 'failed'; detail: string };

export interface TokenGrant {
  canView: boolean;
}

/** `BearerTokenAuthentication`: DRF TokenAuthentication with keyword "Bearer" (api/authentication.py:18-26). */
export function authenticateBearer(authorization: string | undefined, tokens: Readonly<Record<string, TokenGrant>>): AuthOutcome<TokenGrant> {
  const parts = (authorization ?? '').split(/\s+/).filter((part) => part.length > 0);
  if (parts.length === 0 || parts[0]?.toLowerCase() !== 'bearer') return { kind: 'anonymous' };
  if (parts.length === 1) return { kind: 'failed', detail: 'Invalid token header. No credentials provided.' };
  if (parts.length > 2) return { kind: 'failed', detail: 'Invalid token header. Token string should not contain spaces.' };
  const token = parts[1] ?? '';
  const grant = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  return grant ? { kind: 'authenticated', principal: grant } : { kind: 'failed', detail: 'Invalid token.' };
}

/** `JiraHmacWebhookAuthentication` (api/authentication.py:29-88): `X-Hub-Signature: sha256=<lowercase hex>` over the raw body. */
export function authenticateWebhook(signature: string | undefined, rawBody: Buffer, secret: string): AuthOutcome<'jira-webhook'> {
  if (!signature) return { kind: 'anonymous' };
  if (!secret) return { kind: 'failed', detail: 'Webhook secret not configured.' };
  const separator = signature.indexOf('=');
  const method = separator === -1 ? signature : signature.slice(0, separator);
  const received = separator === -1 ? '' : signature.slice(separator + 1);
  if (!received) return { kind: 'failed', detail: 'Malformed X-Hub-Signature header.' };
  if (method.toLowerCase() !== 'sha256') return { kind: 'failed', detail: `Unsupported X-Hub-Signature method: '${method}'` };
  const computed = createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('hex');
  // hmac.compare_digest against the lowercase hex: an uppercase digest does not match.
  const expected = Buffer.from(computed);
  const given = Buffer.from(received);
  const matches = expected.length === given.length && timingSafeEqual(expected, given);
  return matches ? { kind: 'authenticated', principal: 'jira-webhook' } : { kind: 'failed', detail: 'Invalid webhook signature.' };
}

/** DRF answers 401 with the first authenticator's `authenticate_header` as WWW-Authenticate. */
export function unauthorizedReply(outcome: { kind: 'anonymous' } | { kind: 'failed'; detail: string }, wwwAuthenticate: string): Reply {
  const headers = { 'WWW-Authenticate': wwwAuthenticate };
  return outcome.kind === 'anonymous'
    ? clientError(401, 'not_authenticated', 'Authentication credentials were not provided.', headers)
    : clientError(401, 'authentication_failed', outcome.detail, headers);
}

export function permissionDeniedReply(): Reply {
  return clientError(403, 'permission_denied', 'You do not have permission to perform this action.');
}
