import { JiraHttpError } from './errors.js';
import type { SeedUser } from './seed.js';

export type JiraMode = 'cloud' | 'datacenter';

const NOT_AUTHENTICATED = 'You are not authenticated. Authentication required to perform this operation.';

function decodeBasic(credentials: string): { login: string; secret: string } | undefined {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { login: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function findCaller(mode: JiraMode, users: SeedUser[], authorization: string): SeedUser | undefined {
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'basic') {
    const basic = decodeBasic(credentials);
    if (!basic) return undefined;
    // Cloud logs in with email + API token; DC with login name + password, which the seed's apiToken stands for.
    return mode === 'cloud'
      ? users.find((user) => user.email.toLowerCase() === basic.login.toLowerCase() && user.apiToken === basic.secret)
      : users.find((user) => user.name === basic.login && user.apiToken === basic.secret);
  }
  if (scheme.toLowerCase() === 'bearer' && mode === 'datacenter') return users.find((user) => user.pat === credentials);
  return undefined;
}

/** The active user the Authorization header proves, or a 401 like JIRA's. */
export function authenticate(mode: JiraMode, users: SeedUser[], authorization: string | undefined): SeedUser {
  const caller = authorization ? findCaller(mode, users, authorization) : undefined;
  if (!caller || !caller.active) {
    const challenge = mode === 'cloud' ? 'Basic realm="protected-area"' : 'Basic realm="JIRA", Bearer realm="JIRA"';
    throw new JiraHttpError(401, [NOT_AUTHENTICATED], {}, { 'WWW-Authenticate': challenge });
  }
  return caller;
}
