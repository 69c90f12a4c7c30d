import type { Kysely } from 'kysely';
import { inBatches } from './batches.js';
import { inTransaction } from './in-transaction.js';
import type { Database } from './schema.js';

/** A JIRA transition seen to lead from one status to another in a project's workflow. */
export interface WorkflowEdge {
  project: string;
  fromStatus: string;
  toStatus: string;
  transitionId: string;
  transitionName: string;
  learnedAt: Date;
  /** Ids of the fields its screen requires; null while the screen has not been seen. */
  requiredFields: string[] | null;
}

export type WorkflowEdgeId = Pick<WorkflowEdge, 'project' | 'fromStatus' | 'transitionId'>;

export async function loadWorkflowEdges(db: Kysely<Database>, project: string): Promise<WorkflowEdge[]> {
  const rows = await db
    .selectFrom('workflow_edges')
    .selectAll()
    .where('project', '=', project)
    .orderBy('from_status')
    .orderBy('transition_id')
    .execute();
  return rows.map((row) => ({
    project: row.project,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    transitionId: row.transition_id,
    transitionName: row.transition_name,
    learnedAt: new Date(row.learned_at),
    requiredFields: row.required_fields === null ? null : (JSON.parse(row.required_fields) as string[]),
  }));
}

export function saveWorkflowEdges(db: Kysely<Database>, edges: readonly WorkflowEdge[]): Promise<void> {
  return inTransaction(db, (trx) => insertEdges(trx, edges));
}

/** What JIRA offers from one status now replaces what was learned of it before (the workflow may have changed). */
export function replaceWorkflowEdgesFrom(db: Kysely<Database>, project: string, fromStatus: string, edges: readonly WorkflowEdge[]): Promise<void> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('workflow_edges').where('project', '=', project).where('from_status', '=', fromStatus).execute();
    await insertEdges(trx, edges);
  });
}

async function insertEdges(trx: Kysely<Database>, edges: readonly WorkflowEdge[]): Promise<void> {
  for (const batch of inBatches(edges)) {
    await trx
      .insertInto('workflow_edges')
      .values(
        batch.map((edge) => ({
          project: edge.project,
          from_status: edge.fromStatus,
          to_status: edge.toStatus,
          transition_id: edge.transitionId,
          transition_name: edge.transitionName,
          learned_at: edge.learnedAt.toISOString(),
          required_fields: edge.requiredFields === null ? null : JSON.stringify(edge.requiredFields),
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['project', 'from_status', 'transition_id']).doUpdateSet((eb) => ({
          to_status: eb.ref('excluded.to_status'),
          transition_name: eb.ref('excluded.transition_name'),
          learned_at: eb.ref('excluded.learned_at'),
          required_fields: eb.ref('excluded.required_fields'),
        })),
      )
      .execute();
  }
}

/** Forgets an edge that JIRA no longer offers (its workflow changed). */
export async function forgetWorkflowEdge(db: Kysely<Database>, edge: WorkflowEdgeId): Promise<void> {
  await db
    .deleteFrom('workflow_edges')
    .where('project', '=', edge.project)
    .where('from_status', '=', edge.fromStatus)
    .where('transition_id', '=', edge.transitionId)
    .execute();
}
