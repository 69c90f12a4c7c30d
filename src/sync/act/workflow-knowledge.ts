import type { Kysely } from 'kysely';
import type { JiraClient } from '../../jira/client.js';
import type { JiraTransition } from '../../jira/transition.js';
import type { JiraWorkflow, WorkflowScope } from '../../jira/workflow.js';
import { ServiceError } from '../../net/errors.js';
import type { Database } from '../../state/schema.js';
import { loadWorkflowEdges, replaceWorkflowEdgesFrom, type WorkflowEdge } from '../../state/workflow-edges.js';
import type { WorkflowTransitionEdge } from './workflow-path.js';

/** What raidsync knows of a project's workflow: the graph to plan paths over, and the screens of its transitions. */
export interface WorkflowKnowledge {
  /** Every known transition of the issue's workflow: Cloud's workflow API where it answers, else the edges learned so far. */
  edges(issueKey: string, scope?: WorkflowScope): Promise<WorkflowTransitionEdge[]>;
  /** Where the graph came from, for reasons shown to people. */
  source(issueKey: string): 'workflow API' | 'learned transitions';
  /** Ids of the fields a transition's screen requires; null while its screen has not been seen. */
  requiredFields(issueKey: string, from: string, transitionId: string): string[] | null;
  /** Remembers what JIRA offers from `status` right now, screens included. */
  learn(issueKey: string, status: string, offered: readonly JiraTransition[]): Promise<void>;
  /** Reads what is offered from each of `statuses` not yet seen this run, through some issue sitting there now. */
  explore(issueKey: string, statuses: readonly string[]): Promise<void>;
}

export interface KnowledgeOptions {
  db: Kysely<Database>;
  jira: JiraClient;
  deployment: 'cloud' | 'datacenter';
  now: () => Date;
}

export function projectOf(issueKey: string): string {
  return issueKey.slice(0, issueKey.lastIndexOf('-'));
}

const key = (project: string, from: string, transitionId: string) => `${project}\u0000${from}\u0000${transitionId}`;

/** A run's workflow knowledge over the state file's learned edges and, on Cloud, the workflow API. */
export function workflowKnowledge(options: KnowledgeOptions): WorkflowKnowledge {
  const { db, jira } = options;
  const learned = new Map<string, WorkflowEdge[]>();
  const workflows = new Map<string, Promise<JiraWorkflow | null>>();
  const workflowOfIssue = new Map<string, JiraWorkflow | null>();
  const explored = new Set<string>();
  // Data Center has no workflow API with transitions; on Cloud, a 403 or 404 means this account may not read it.
  let apiAvailable = options.deployment === 'cloud';

  async function learnedEdges(project: string): Promise<WorkflowEdge[]> {
    let edges = learned.get(project);
    if (!edges) {
      edges = await loadWorkflowEdges(db, project);
      learned.set(project, edges);
    }
    return edges;
  }

  async function workflowOf(issueKey: string, known?: WorkflowScope): Promise<JiraWorkflow | null> {
    if (!apiAvailable) return null;
    if (workflowOfIssue.has(issueKey)) return workflowOfIssue.get(issueKey) ?? null;
    try {
      const scope = known ?? (await jira.workflowScope(issueKey));
      const id = `${scope.projectId}/${scope.issueTypeId}`;
      // The promise is kept, not its result: pairs applied at once share one read of their workflow.
      if (!workflows.has(id)) workflows.set(id, jira.readWorkflow(scope));
      const workflow = (await workflows.get(id)) ?? null;
      workflowOfIssue.set(issueKey, workflow);
      return workflow;
    } catch (error) {
      if (error instanceof ServiceError && (error.status === 403 || error.status === 404)) {
        apiAvailable = false;
        return null;
      }
      throw error;
    }
  }

  /** JIRA only tells what an issue is offered from where it is: ask it of some issue that sits in `status` now. */
  async function learnFrom(issueKey: string, status: string): Promise<void> {
    const project = projectOf(issueKey);
    if (explored.has(`${project}\u0000${status}`)) return;
    explored.add(`${project}\u0000${status}`);
    const sample = await jira.issueKeyInStatus(project, status);
    if (sample) await knowledge.learn(sample, status, await jira.getTransitions(sample));
  }

  const knowledge: WorkflowKnowledge = {
    async edges(issueKey, scope) {
      const workflow = await workflowOf(issueKey, scope);
      const project = projectOf(issueKey);
      // Loaded with the API's graph too: the screens learned before are what spare a read before each hop.
      await learnedEdges(project);
      if (workflow) {
        return workflow.transitions.flatMap((transition) =>
          (transition.from ?? [null]).map((from) => ({ from, to: transition.to, transitionId: transition.id, transitionName: transition.name })),
        );
      }
      // Without the API the graph is what issues have been offered: follow it outwards, reading each status not yet known.
      for (;;) {
        const known = await learnedEdges(project);
        const from = new Set(known.map((edge) => edge.fromStatus));
        const unread = [...new Set(known.map((edge) => edge.toStatus))].filter((status) => !from.has(status) && !explored.has(`${project}\u0000${status}`));
        if (unread.length === 0) break;
        for (const status of unread) await learnFrom(issueKey, status);
      }
      return (await learnedEdges(project)).map((edge) => ({ from: edge.fromStatus, to: edge.toStatus, transitionId: edge.transitionId, transitionName: edge.transitionName }));
    },

    source(issueKey) {
      return workflowOfIssue.get(issueKey) ? 'workflow API' : 'learned transitions';
    },

    requiredFields(issueKey, from, transitionId) {
      const project = projectOf(issueKey);
      const known = learned.get(project) ?? [];
      // A screen belongs to the transition, not to the status it was offered from: a global one seen elsewhere counts.
      const seen =
        known.find((edge) => key(project, edge.fromStatus, edge.transitionId) === key(project, from, transitionId) && edge.requiredFields) ??
        known.find((edge) => edge.transitionId === transitionId && edge.requiredFields);
      if (seen?.requiredFields) return seen.requiredFields;
      // The workflow API tells which transitions have a screen at all; one without needs nothing.
      const transition = workflowOfIssue.get(issueKey)?.transitions.find((candidate) => candidate.id === transitionId);
      return transition && !transition.hasScreen ? [] : null;
    },

    async learn(issueKey, status, offered) {
      const project = projectOf(issueKey);
      const edges: WorkflowEdge[] = offered.map((transition) => ({
        project,
        fromStatus: status,
        toStatus: transition.to.name,
        transitionId: transition.id,
        transitionName: transition.name,
        learnedAt: options.now(),
        requiredFields: transition.requiredFields,
      }));
      await replaceWorkflowEdgesFrom(db, project, status, edges);
      learned.set(project, [...(await learnedEdges(project)).filter((edge) => edge.fromStatus !== status), ...edges]);
      explored.add(`${project}\u0000${status}`);
    },

    async explore(issueKey, statuses) {
      const project = projectOf(issueKey);
      await learnedEdges(project);
      for (const status of statuses) await learnFrom(issueKey, status);
    },
  };
  return knowledge;
}
