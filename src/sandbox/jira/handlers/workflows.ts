import type { Handler } from '../context.js';
import { badRequest } from '../errors.js';
import type { SeedProject, StatusCategoryKey } from '../seed.js';
import { asObject, objectBody } from './request-scope.js';

const CATEGORY: Record<StatusCategoryKey, 'TODO' | 'IN_PROGRESS' | 'DONE'> = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' };

/** The emulator has one workflow per project, used by all its issue types. */
function workflowName(project: SeedProject): string {
  return `${project.key} workflow`;
}

function renderWorkflow(project: SeedProject) {
  const byName = new Map(project.workflow.statuses.map((status) => [status.name, status]));
  return {
    id: `wf-${project.id}`,
    name: workflowName(project),
    description: '',
    scope: { type: 'GLOBAL' },
    isEditable: true,
    version: { id: `wf-${project.id}-v0`, versionNumber: 0 },
    statuses: project.workflow.statuses.map((status) => ({ statusReference: status.id, deprecated: false, properties: {} })),
    transitions: [
      // JIRA lists the creation transition too; it leads into the workflow and is never a move between statuses.
      { id: '1', name: 'Create', description: '', type: 'INITIAL', toStatusReference: byName.get(project.workflow.initialStatus)!.id, links: [], actions: [], validators: [], triggers: [], properties: {} },
      ...project.workflow.transitions.map((transition) => ({
        id: transition.id,
        name: transition.name,
        description: '',
        type: transition.from === '*' ? 'GLOBAL' : 'DIRECTED',
        toStatusReference: byName.get(transition.to)!.id,
        links: transition.from === '*' ? [] : transition.from.map((from) => ({ fromStatusReference: byName.get(from)!.id, fromPort: 0, toPort: 1 })),
        ...(transition.screen.length > 0 ? { transitionScreen: { ruleKey: 'system:transition-screen', parameters: { screenId: `screen-${transition.id}` } } } : {}),
        actions: [],
        validators: [],
        triggers: [],
        properties: {},
      })),
    ],
  };
}

/** Cloud's "Bulk get workflows" (`POST /workflows`): by project and issue type, by id or by name. */
export const readWorkflows: Handler = (context, state) => {
  const body = objectBody(context);
  const pairs = Array.isArray(body['projectAndIssueTypes']) ? body['projectAndIssueTypes'].map(asObject) : [];
  const ids = Array.isArray(body['workflowIds']) ? body['workflowIds'] : [];
  const names = Array.isArray(body['workflowNames']) ? body['workflowNames'] : [];
  for (const pair of pairs) {
    if (typeof pair['projectId'] !== 'string' || typeof pair['issueTypeId'] !== 'string') throw badRequest('projectId and issueTypeId are required.');
  }
  const projects = state.store.projects.filter(
    (project) =>
      pairs.some((pair) => pair['projectId'] === project.id && project.issueTypes.some((type) => type.id === pair['issueTypeId'])) ||
      ids.includes(`wf-${project.id}`) ||
      names.includes(workflowName(project)),
  );
  const statuses = new Map(projects.flatMap((project) => project.workflow.statuses).map((status) => [status.id, status]));
  return {
    status: 200,
    body: {
      statuses: [...statuses.values()].map((status) => ({
        id: status.id,
        name: status.name,
        statusReference: status.id,
        statusCategory: CATEGORY[status.category],
        scope: { type: 'GLOBAL' },
        description: '',
      })),
      workflows: projects.map(renderWorkflow),
    },
  };
};
