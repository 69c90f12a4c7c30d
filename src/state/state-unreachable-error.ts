/** The PostgreSQL holding the state could not be reached or refused the credentials (exit 3); nothing was written. */
export class StateUnreachableError extends Error {
  constructor(where: string, reason: string) {
    super(`State database ${where} could not be used: ${reason}`);
    this.name = 'StateUnreachableError';
  }
}
