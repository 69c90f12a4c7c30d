/** A JIRA error answer: thrown by handlers, sent by the router as an ErrorCollection. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.name = 'JiraHttpError';
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

export function issueNotFound(): JiraHttpError {
  return new JiraHttpError(404, [ISSUE_NOT_FOUND]);
}

export function badRequest(message: string): JiraHttpError {
  return new JiraHttpError(400, [message]);
}

export function fieldErrors(errors: Record<string, string>): JiraHttpError {
  return new JiraHttpError(400, [], errors);
}
