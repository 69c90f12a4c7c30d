/** A workflow transition JIRA offers from an issue's current status. */
export interface JiraTransition {
  id: string;
  name: string;
  to: { id: string; name: string };
  /** Ids of screen fields the transition refuses to run without (e.g. `resolution`). */
  requiredFields: string[];
}
