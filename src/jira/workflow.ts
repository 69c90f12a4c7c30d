/** A project's workflow as JIRA's workflow API describes it, with status references resolved to names. */
export interface JiraWorkflow {
  statuses: string[];
  /** Moves between statuses; the creation (INITIAL) transition is left out. `from` null: a global transition. */
  transitions: Array<{ id: string; name: string; from: string[] | null; to: string; hasScreen: boolean }>;
}

/** Which workflow an issue follows: JIRA assigns workflows per project and issue type. */
export interface WorkflowScope {
  projectId: string;
  projectKey: string;
  issueTypeId: string;
}
