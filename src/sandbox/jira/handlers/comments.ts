import type { Handler } from '../context.js';
import { recordWrite } from '../context.js';
import { adfToText, isAdfDocument } from '../adf.js';
import { fieldErrors } from '../errors.js';
import { renderComment } from '../render.js';
import { objectBody, pathIssue, renderTargetFor } from './request-scope.js';

/** v2 takes the comment as a string, v3 as an ADF document. */
export const addComment: Handler = (context, state) => {
  const issue = pathIssue(context, state);
  const body = objectBody(context)['body'];
  const text = context.apiVersion === 3 ? (isAdfDocument(body) ? adfToText(body) : undefined) : typeof body === 'string' ? body : undefined;
  if (text === undefined || text.trim() === '') throw fieldErrors({ comment: 'Comment body can not be empty!' });
  const comment = state.store.addComment(issue, context.caller.accountId, text, context.now);
  recordWrite(state, context, issue.key, 'comment');
  return { status: 201, body: renderComment(renderTargetFor(context, state), issue, comment) };
};
