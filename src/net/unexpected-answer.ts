import { ServiceError, type Service } from './errors.js';

/** The transport code of an answer that is not the one the write gets: retry.ts counts it among "may have been sent". */
export const UNEXPECTED_ANSWER = 'ERR_UNEXPECTED_ANSWER';

/**
 * A write answered 2xx, but not as the service answers that write (JIRA's 204 or 201 with the issue; FireFighter's
 * empty 200): a proxy's sign-in page, say. It may or may not have landed, as for a timeout: the record is read back.
 */
export class UnexpectedAnswerError extends ServiceError {
  constructor(service: Service, endpoint: string, got: string, expected: string) {
    super({ service, endpoint, status: null, code: UNEXPECTED_ANSWER });
    this.name = 'UnexpectedAnswerError';
    const who = service === 'jira' ? 'JIRA' : 'FireFighter';
    this.message = `${who} answered ${endpoint} with ${got} instead of ${expected}, so the write may not have landed (a proxy's sign-in page?)`;
  }
}

/** How an answer is named in messages: `200 text/html`. */
export function describeAnswer(status: number, contentType: string): string {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === '' ? `${status}` : `${status} ${mediaType}`;
}
