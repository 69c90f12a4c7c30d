import type { Handler } from '../context.js';
import { intParam } from '../context.js';
import { renderPriority } from '../render.js';
import { pageBean } from '../page-bean.js';
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
  const self = `${context.baseUrl}/rest/api/${context.apiVersion}/priority/search`;
  return { status: 200, body: pageBean(self, state.store.priorities, startAt, maxResults, (priority) => renderPriority(target, priority, true)) };
};
