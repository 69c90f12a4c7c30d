import { applyPlan } from './act/apply-plan.js';
import type { FieldChange, PairError } from './decide/plan.js';
import { readPairs } from './read.js';
import { countOutcomes, troubled, type DriftedPair, type RunReport } from './report.js';
import type { RunDeps, RunRequest } from './run-request.js';
import { openSession, type RunSession } from './run-session.js';
import { decideSlice, finishSlices, prepareRun } from './run-steps.js';

/** Pairs read, planned and applied together: enough to keep eight writes in flight, few enough to keep memory flat. */
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

/** prepare → for each slice: read, decide, act (or, dry, only decide), record → finish. */
async function execute(request: RunRequest, deps: RunDeps, session: RunSession): Promise<RunReport> {
  const { writes } = session;
  const run = await prepareRun(request, deps, session);
  const drifted = new Map<number, DriftedPair>((run.created?.headings ?? []).map((pair) => [pair.incident, pair]));
  const changes: FieldChange[] = [];
  const inSync: FieldChange[] = [];
  const errors: PairError[] = [...(run.created?.errors ?? []), ...run.world.errors];
  let pairsRead = 0;
  let highWater = run.world.highWater;
  const writing = writeProgress(request.onProgress, run.world.toRead.length);
  // A saved plan is replayed whole; a sync reads, plans and applies a slice of pairs at a time.
  for await (const chunk of readPairs(deps.jira, run.world, request.replay ? Number.POSITIVE_INFINITY : PAIRS_PER_SLICE, request.onProgress)) {
    // Interrupted: the write in flight has finished; no further slice is read.
    if (deps.interrupt?.aborted) break;
    const plan = await decideSlice(chunk, request, deps, run);
    // Only drifted pairs get a block in the tables.
    const drift = new Set(plan.changes.map((change) => change.incident));
    for (const { incident, issue } of chunk.pairs.filter((pair) => drift.has(pair.incident.id))) {
      drifted.set(incident.id, { incident: incident.id, issue: issue.key, priority: incident.priority, title: incident.title, incidentUrl: incident.statusPageUrl });
    }
    writing.found(drift.size, chunk.asked);
    changes.push(...(writes ? await applyPlan(plan, run.scope(chunk.pairs), { ...run.applyDeps, onPairWritten: writing.wrote }) : plan.changes));
    inSync.push(...(plan.inSync ?? []));
    errors.push(...plan.errors);
    pairsRead += chunk.pairs.length;
    if (chunk.highWater !== null && (highWater === null || chunk.highWater > highWater)) highWater = chunk.highWater;
  }
  const listed = { command: run.command, pairs: pairsRead + run.world.unchanged, changes, errors, ...(run.tickets && { tickets: run.tickets }), ...(request.replay && { inSync }) };
  await finishSlices(listed, highWater, deps, run);
  // Interrupted, the run did not do all it planned: finished, but not everything was applied.
  const interrupted = writes && deps.interrupt?.aborted === true;
  const result = interrupted ? 'interrupted' : troubled(listed) ? 'incomplete' : 'ok';
  return { ...listed, runId: session.runId, dryRun: !writes, result, counts: countOutcomes(listed), drifted, notice: run.notice };
}

/**
 * "writing 28/600 drifted pairs": counted over the run, not the slice; while slices are left to read, the total
 * is the drift found so far, and how far the reading has got is said beside it.
 */
function writeProgress(onProgress: ((message: string) => void) | undefined, toRead: number): { found(pairs: number, read: number): void; wrote(): void } {
  const count = (n: number) => n.toLocaleString('en-US');
  let written = 0;
  let drifted = 0;
  let read = 0;
  return {
    found: (pairs, asked) => {
      drifted += pairs;
      read += asked;
    },
    wrote: () => onProgress?.(`writing ${count((written += 1))}/${count(drifted)} drifted pairs${read < toRead ? ` (${count(read)}/${count(toRead)} pairs read)` : ''}`),
  };
}
