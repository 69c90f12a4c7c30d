import type { WorkflowScope } from './workflow.js';

/** A JIRA user as an issue field or a user search names them. */
export interface JiraUser {
  /** Cloud identity. */
  accountId: string | null;
  /** Data Center identity (login name). */
  name: string | null;
  /** Hidden by Cloud privacy settings for some users: then null. */
  email: string | null;
  displayName: string | null;
}

/** A JIRA issue as raidsync sees it, parsed from the REST response at the edge. */
export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
  /** Plain (v2, wiki markup) text; an empty description is ''. */
  description: string;
  status: string;
  statusId: string;
  /** The configured priority field's value: the standard priority's name, or the custom field option's value. */
  priority: string | null;
  assignee: JiraUser | null;
  labels: string[];
  created: string;
  updated: string;
  /** Project and issue type: what picks the issue's workflow. Read with the issue, so finding its workflow costs no request. */
  workflowScope?: WorkflowScope | undefined;
}
