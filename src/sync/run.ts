import { applyPlan, driftedOnly, joinedSlices, recordAgreement } from './act/apply-plan.js';
import { assertWithinLimit } from './change-limit.js';
import type { Pair } from './decide/pair.js';
import type { FieldChange, PairError, Plan, TicketChange } from './decide/plan.js';
import { readPairs, type World } from './read.js';
import { countOutcomes, troubled, type DriftedPair, type RunReport } from './report.js';
import type { RunDeps, RunRequest } from './run-request.js';
import { openSession, type RunSession } from './run-session.js';
import { createPlannedTickets, decideSlice, finishSlices, prepareRun, type PreparedRun } from './run-steps.js';
import { thousands } from './thousands.js';

/** Pairs read and planned together: one batched read's worth, few enough to keep memory flat (only drifted pairs are kept). */
const PAIRS_PER_SLICE = 2000;

export const SYNC_DISABLED_NOTICE = 'sync disabled by configuration (sync.enabled / RAIDSYNC_ENABLED): planned and reported, nothing written';

/** One run of a command: read both sides, plan, apply unless dry, and record everything in the state file. */
export async function runSync(request: RunRequest, deps: RunDeps): Promise<RunReport> {
  const now = deps.now ?? Date.now;
  const observe = deps.observer ?? (() => undefined);
  // Switched off, a writing command runs as its own dry run and succeeds: operators stop the sync without a deploy.
  const disabled = !deps.config.sync.enabled && request.command !== 'diff' && !request.dryRun;
  const writes = request.command !== 'diff' && !request.dryRun && !disabled;
  const session = await openSession(request.command, writes, { ...deps, now, observe });
  try {
    const executed = await execute(request, deps, session);
    const report: RunReport = disabled ? { ...executed, result: 'disabled', notice: SYNC_DISABLED_NOTICE } : executed;
    await session.finish(report);
    return report;
  } catch (error) {
    await session.fail(error);
    throw error;
  } finally {
    await session.release();
  }
}

/**
 * prepare → every slice read and decided (pairs in agreement recorded, only the drifted ones kept) → the change
 * limit, before the first write → tickets created (and their new pairs decided) → the drifted pairs acted on → finish.
 */
async function execute(request: RunRequest, deps: RunDeps, session: RunSession): Promise<RunReport> {
  const { writes } = session;
  const run = await prepareRun(request, deps, session);
  const drifted = new Map<number, DriftedPair>();
  const errors: PairError[] = [...(run.ticketPlan?.errors ?? []), ...run.world.errors];
  const toAct: { pairs: Pair[]; plan: Plan }[] = [];
  const inSync: FieldChange[] = [];
  let pairsRead = 0;
  let highWater = run.world.highWater;
  const writing = writeProgress(request.onProgress);
  const decideAll = async (world: World) => {
    const within: PreparedRun = { ...run, world };
    // A saved plan is replayed whole; a sync reads and plans a slice of pairs at a time.
    for await (const chunk of readPairs(deps.jira, world, request.replay ? Number.POSITIVE_INFINITY : PAIRS_PER_SLICE, request.onProgress)) {
      // Interrupted: no slice past the one already being read ahead is read.
      if (deps.interrupt?.aborted) break;
      const plan = await decideSlice(chunk, request, deps, within);
      if (writes) await recordAgreement(plan, run.scope(chunk.pairs), run.applyDeps);
      const kept = driftedOnly(chunk.pairs, plan);
      // Only drifted pairs get a block in the tables.
      for (const { incident, issue } of kept.pairs) {
        drifted.set(incident.id, { incident: incident.id, issue: issue.key, priority: incident.priority, title: incident.title, incidentUrl: incident.statusPageUrl });
      }
      writing.found(kept.pairs.length);
      if (kept.pairs.length > 0) toAct.push(kept);
      inSync.push(...(plan.inSync ?? []));
      errors.push(...plan.errors);
      pairsRead += chunk.pairs.length;
      if (chunk.highWater !== null && (highWater === null || chunk.highWater > highWater)) highWater = chunk.highWater;
    }
  };
  await decideAll(run.world);
  if (writes) {
    const planned = [...toAct.flatMap((slice) => slice.plan.changes), ...(run.ticketPlan?.decisions.map((decision) => decision.planned) ?? [])];
    assertWithinLimit(planned, request.maxChanges ?? deps.config.sync.maxChanges, request.command);
  }
  let tickets: TicketChange[] | undefined;
  if (run.ticketPlan) {
    const made = await createPlannedTickets(run.ticketPlan, deps, run);
    tickets = made.tickets;
    errors.push(...made.created.errors.slice(run.ticketPlan.errors.length));
    for (const heading of made.created.headings) if (!drifted.has(heading.incident)) drifted.set(heading.incident, heading);
    // The same run syncs the new pairs like any other.
    if (made.world.toRead.length > 0) await decideAll(made.world);
  }
  // One write phase over every slice's drifted pairs: eight stay in flight throughout, and one read-back follows them all.
  const act = joinedSlices(toAct, run.command);
  const changes = writes ? await applyPlan(act.plan, run.scope(act.pairs), { ...run.applyDeps, onPairWritten: writing.wrote }) : act.plan.changes;
  const listed = { command: run.command, pairs: pairsRead + run.world.unchanged, changes, errors, ...(tickets && { tickets }), ...(request.replay && { inSync }) };
  await finishSlices(listed, highWater, deps, run);
  // Interrupted, the run did not do all it planned: finished, but not everything was applied.
  const interrupted = writes && deps.interrupt?.aborted === true;
  const result = interrupted ? 'interrupted' : troubled(listed) ? 'incomplete' : 'ok';
  return { ...listed, runId: session.runId, dryRun: !writes, result, counts: countOutcomes(listed), drifted, notice: run.notice };
}

/** "writing 28/600 drifted pairs": counted over the run, not the slice. */
function writeProgress(onProgress: ((message: string) => void) | undefined): { found(pairs: number): void; wrote(): void } {
  let written = 0;
  let drifted = 0;
  return {
    found: (pairs) => {
      drifted += pairs;
    },
    // Every slice is decided before the first write, so the total is the run's whole drift.
    wrote: () => onProgress?.(`writing ${thousands((written += 1))}/${thousands(drifted)} drifted pairs`),
  };
}
