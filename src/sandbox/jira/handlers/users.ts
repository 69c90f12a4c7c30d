import type { Handler } from '../context.js';
import { intParam } from '../context.js';
import { badRequest } from '../errors.js';
import { renderUser } from '../render.js';
import type { SeedUser } from '../seed.js';
import { renderTargetFor } from './request-scope.js';

export const myself: Handler = (context, state) => ({
  status: 200,
  body: { ...renderUser(renderTargetFor(context, state), context.caller), locale: 'en_US' },
});

/** Prefix match on the display name (or any word of it) and on the email. */
function prefixMatches(user: SeedUser, prefix: string, emailSearchable: boolean): boolean {
  const lower = prefix.toLowerCase();
  const name = user.displayName.toLowerCase();
  const nameMatches = name.startsWith(lower) || name.split(/\s+/).some((word) => word.startsWith(lower));
  return nameMatches || (emailSearchable && user.email.toLowerCase().startsWith(lower));
}

/**
 * Cloud: `query` prefix-matches display names and visible emails (a hidden email can't be searched for,
 * the reference's reading of "privacy controls are applied"), or `accountId` matches exactly.
 * DC: `username` matches login name, display name or email.
 */
export const searchUsers: Handler = (context, state) => {
  const startAt = intParam(context.query.get('startAt'), 'startAt', 0);
  const maxResults = intParam(context.query.get('maxResults'), 'maxResults', 50);
  const active = state.store.users.filter((user) => user.active);
  let found: SeedUser[];
  if (state.mode === 'cloud') {
    const query = context.query.get('query');
    const accountId = context.query.get('accountId');
    if (query && accountId) throw badRequest("The 'query' and 'accountId' parameters cannot be used together.");
    if (!query && !accountId) throw badRequest("The query parameter 'query' or 'accountId' is required.");
    found = accountId ? active.filter((user) => user.accountId === accountId) : active.filter((user) => prefixMatches(user, query!, user.emailVisible));
  } else {
    const username = context.query.get('username');
    if (!username) throw badRequest("The parameter 'username' is mandatory.");
    found = active.filter((user) => user.name.toLowerCase().startsWith(username.toLowerCase()) || prefixMatches(user, username, true));
  }
  const target = renderTargetFor(context, state);
  return { status: 200, body: found.slice(startAt, startAt + maxResults).map((user) => renderUser(target, user)) };
};
