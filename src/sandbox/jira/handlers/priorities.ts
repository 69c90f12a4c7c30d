import type { Handler } from '../context.js';
import { intParam } from '../context.js';
import { renderPriority } from '../render.js';
import { renderTargetFor } from './request-scope.js';

export const listPriorities: Handler = (context, state) => {
  const target = renderTargetFor(context, state);
  return { status: 200, body: state.store.priorities.map((priority) => renderPriority(target, priority, true)) };
};

/** Cloud's paged priority list. */
export const searchPriorities: Handler = (context, state) => {
  const startAt = intParam(context.query.get('startAt'), 'startAt', 0);
  const maxResults = intParam(context.query.get('maxResults'), 'maxResults', 50);
  const target = renderTargetFor(context, state);
  const all = state.store.priorities;
  const isLast = startAt + maxResults >= all.length;
  const self = `${context.baseUrl}/rest/api/${context.apiVersion}/priority/search`;
  return {
    status: 200,
    body: {
      self: `${self}?maxResults=${maxResults}&startAt=${startAt}`,
      ...(isLast ? {} : { nextPage: `${self}?maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
      maxResults,
      startAt,
      total: all.length,
      isLast,
      values: all.slice(startAt, startAt + maxResults).map((priority) => renderPriority(target, priority, true)),
    },
  };
};
