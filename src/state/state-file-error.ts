export type StateFileProblem = 'missing' | 'unreadable' | 'not_sqlite' | 'not_raidsync' | 'corrupt' | 'newer_version' | 'outdated';

/** The state file cannot be used as it is; raidsync refuses rather than overwrite it (the CLI exits 2). */
export class StateFileError extends Error {
  readonly path: string;
  readonly problem: StateFileProblem;

  constructor(path: string, problem: StateFileProblem, detail: string) {
    super(`State file ${path} ${detail}`);
    this.name = 'StateFileError';
    this.path = path;
    this.problem = problem;
  }
}
