import type { Config, ConflictPolicy } from '../config/schema.js';
import type { ImpactClient } from '../impact/client.js';
import type { JiraClient } from '../jira/client.js';
import { errorCategory, errorMessage } from '../net/errors.js';
import { exitCodeFor } from '../cli/exit-codes.js';
import { LockHeldError } from './lock-held-error.js';
import { loadBasesFor } from '../state/bases.js';
import { loadPairs } from '../state/pairs.js';
import { acquireLock, releaseLock } from '../state/lock.js';
import { loadLoopGuards } from '../state/loop-guards.js';
import type { StateDb } from '../state/open.js';
import { finishRun, markStaleRunsCrashed, recordChanges, recordErrors, startRun } from '../state/runs.js';
import { pruneLoopGuards } from '../state/loop-guards.js';
import { lastCompletedWritingRun } from '../state/pair-baseline.js';
import { EXIT } from '../cli/exit-codes.js';
import { describeRecovery, settleInterruptedWrites } from './act/recovery.js';
import { assertNotShrunk } from './shrink-guard.js';
import { directoryCache } from './directory-cache.js';
import { resolveDirectory } from './directory.js';
import type { SyncField } from './fields.js';
import { LoopGuards } from './decide/loop-guard.js';
import type { FieldMaps } from './decide/maps/types.js';
import type { FieldChange, PairError, PairHeading, Plan, SyncCommand } from './decide/plan.js';
import { plan as planChanges } from './decide/planner.js';
import type { PlanFile } from './decide/plan-file.js';
import { advanceWatermarks, planIncrementalRead, type IncrementalSettings } from './incremental.js';
import { readPairs, readWorld } from './read.js';
import { loadStatusPaths } from '../state/status-paths.js';
import { changeEvent, pairErrorEvent, type RunObserver } from './events.js';
import { changeRow, countOutcomes, exitCodeOf, NO_COUNTS, pairErrorRows } from './record.js';
import { withDirectionSwitches } from './decide/switches.js';
import { toBases, toGuards } from './decide/stored-state.js';
import { replayPlan } from './decide/replay.js';
import { applyPlan } from './act/apply-plan.js';
import type { RunServices } from './run-services.js';
import { statusPushSettings } from './act/status-push-settings.js';
import { scrubbed } from './scrubbed.js';
import { createTickets, ticketRow } from './act/create-tickets.js';

/** Pairs read, planned and applied together: enough to keep eight writes in flight, few enough to keep memory flat. */
const PAIRS_PER_SLICE = 2000;

export interface RunRequest {
  /** `diff` plans what `reconcile` would do and writes nothing. */
  command: SyncCommand | 'diff' | 'apply';
  dryRun: boolean;
  incidentIds?: number[] | undefined;
  fields: SyncField[];
  conflict: ConflictPolicy;
  /** `apply`: the saved plan to replay where its records are still as planned. */
  replay?: PlanFile | undefined;
  /** Also create tickets for incidents that have none (push --create, sync.create). */
  create?: boolean | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

export interface RunDeps {
  config: Config;
  maps: FieldMaps;
  jira: JiraClient;
  impact: ImpactClient;
  state: StateDb;
  owner: { pid: number; host: string };
  now?: () => number;
  /** Aborted by SIGINT/SIGTERM: the write in flight finishes, the rest is reported as not sent, the run as interrupted. */
  interrupt?: AbortSignal | undefined;
  /** Told of every change and error as the run records it (structured logs). */
  observer?: RunObserver | undefined;
}

export const SYNC_DISABLED_NOTICE = 'sync disabled by configuration (sync.enabled / RAIDSYNC_ENABLED): planned and reported, nothing written';

export interface RunResult {
  plan: Plan;
  dryRun: boolean;
  headings: Map<number, PairHeading>;
  exitCode: number;
  /** A line shown above the tables (e.g. why nothing was written). */
  notice?: string | undefined;
}

/** One run of a command: read both sides, plan, apply unless dry, and record everything in the state file. */
export async function runSync(request: RunRequest, deps: RunDeps): Promise<RunResult> {
  const now = deps.now ?? Date.now;
  const observe = deps.observer ?? (() => undefined);
  // Switched off, a writing command runs as its own dry run and succeeds: operators stop the sync without a deploy.
  const disabled = !deps.config.sync.enabled && request.command !== 'diff' && !request.dryRun;
  const writes = request.command !== 'diff' && !request.dryRun && !disabled;
  const { db } = deps.state;
  if (writes) {
    const lock = await acquireLock(db, { pid: deps.owner.pid, host: deps.owner.host, now: new Date(now()) });
    if (!lock.ok) {
      const { pid, host, startedAt } = lock.holder;
      throw new LockHeldError(`another raidsync run holds the lock on ${deps.state.path}: pid ${pid} on ${host}, since ${startedAt.toISOString()}`);
    }
  }
  // Holding the lock, no other process can be running a writing run still recorded as running: it was killed.
  const crashedRuns = writes ? await markStaleRunsCrashed(db) : 0;
  const started = now();
  const runId = await startRun(db, { command: request.command, dryRun: !writes, startedAt: new Date(started) });
  observe({ type: 'run_started', at: new Date(started), runId, command: request.command, dryRun: !writes });
  try {
    const executed = await execute(request, deps, runId, writes, crashedRuns);
    const result = disabled ? { ...executed, exitCode: 0, notice: SYNC_DISABLED_NOTICE } : executed;
    const counts = countOutcomes(result.plan);
    const status = writes && deps.interrupt?.aborted ? 'interrupted' : 'finished';
    await finishRun(db, runId, { ...counts, status, finishedAt: new Date(now()), exitCode: result.exitCode, durationMs: now() - started });
    observe({ type: 'run_finished', at: new Date(now()), runId, exitCode: result.exitCode, durationMs: now() - started, counts });
    return result;
  } catch (error) {
    const category = errorCategory(error);
    const message = scrubbed(errorMessage(error), deps.config);
    await recordErrors(db, runId, [{ incidentId: null, issueKey: null, category, message, at: new Date(now()) }]);
    await finishRun(db, runId, { ...NO_COUNTS, status: 'finished', finishedAt: new Date(now()), exitCode: exitCodeFor(error), durationMs: now() - started });
    observe({ type: 'run_failed', at: new Date(now()), runId, exitCode: exitCodeFor(error), durationMs: now() - started, category, message });
    throw error;
  } finally {
    if (writes) await releaseLock(db, deps.owner);
  }
}

async function execute(request: RunRequest, deps: RunDeps, runId: number, writes: boolean, crashedRuns: number): Promise<RunResult> {
  const now = deps.now ?? Date.now;
  const { db } = deps.state;
  let notice: string | undefined;
  if (writes) {
    notice = describeRecovery(await settleInterruptedWrites(deps.state, deps, new Date(now())), crashedRuns);
    await pruneLoopGuards(db, { olderThanSeconds: deps.config.sync.loopWindowSeconds, now: new Date(now()) });
  }
  const services: RunServices = { config: deps.config, maps: deps.maps, jira: deps.jira, impact: deps.impact, db, runId, now, interrupted: () => deps.interrupt?.aborted === true };
  // Created before the read, so that the same run syncs the new pairs like any other.
  const created = request.create && !request.replay
    ? await createTickets(
        { dryRun: !writes, incidentIds: request.incidentIds },
        services,
      )
    : undefined;
  const observe = deps.observer ?? (() => undefined);
  const storedPairs = await loadPairs(db);
  // Only a run over every pair and configured field may vouch for pairs it did not read.
  const coversAll = request.incidentIds === undefined && !request.replay && sameFields(request.fields, deps.config.sync.fields);
  const incremental = request.incidentIds === undefined && !request.replay
    ? await planIncrementalRead(db, incrementalSettings(deps, now()), storedPairs)
    : undefined;
  const createdLinks = new Map(storedPairs.filter((pair) => pair.origin === 'created').map((pair) => [pair.incidentId, pair.issueKey]));
  const world = await readWorld(deps.impact, deps.jira, { incidentIds: request.incidentIds, onProgress: request.onProgress, incremental, createdLinks });
  const guarded = writes && request.incidentIds === undefined && !request.replay;
  const linked = world.toRead.length + world.unchanged;
  const baseline = guarded ? ((await lastCompletedWritingRun(db))?.pairs ?? null) : null;
  const shrinkCheck = (missing: number) =>
    assertNotShrunk({ baseline, incidents: world.incidents.length, linked, pairs: linked - missing, minRatio: deps.config.sync.minPairsRatio });
  // FireFighter's side, before any ticket is read: a list that collapsed stops the run here.
  shrinkCheck(0);
  const unfinishedPaths = new Map((await loadStatusPaths(db)).map((path) => [path.incidentId, path]));
  const guards = new LoopGuards(toGuards(await loadLoopGuards(db)));
  const cache = await directoryCache(db, new Date(now()));
  const status = statusPushSettings(deps.config, deps.jira, db, now);
  const tickets = created?.tickets.map((ticket) => ({ ...ticket, reason: scrubbed(ticket.reason, deps.config) }));
  if (tickets) await recordChanges(db, runId, tickets.map((ticket) => ticketRow(ticket, new Date(now()))));
  for (const ticket of tickets ?? []) observe(changeEvent(runId, ticket, new Date(now())));
  const headings = new Map<number, PairHeading>((created?.headings ?? []).map((heading) => [heading.incident, heading]));
  const changes: FieldChange[] = [];
  const errors: PairError[] = [...(created?.errors ?? []), ...world.errors];
  let pairsRead = 0;
  let missing = 0;
  let highWater = world.highWater;
  // A saved plan is replayed whole; a sync reads, plans and applies a slice of pairs at a time.
  for await (const chunk of readPairs(deps.jira, world, request.replay ? Number.POSITIVE_INFINITY : PAIRS_PER_SLICE, request.onProgress)) {
    // Interrupted: the write in flight has finished; no further slice is read.
    if (deps.interrupt?.aborted) break;
    // JIRA's side, slice by slice, before the slice's writes: tickets gone missing count against the same baseline.
    missing += chunk.asked - chunk.pairs.length;
    shrinkCheck(missing);
    const commanders = request.fields.includes('commander') && !request.replay
      ? chunk.pairs.map((pair) => pair.incident.commanderEmail).filter((email): email is string => email !== null && !(email in deps.maps.users))
      : [];
    const directory = await resolveDirectory(commanders, deps.jira, deps.config.jira.deployment, cache);
    const bases = toBases(await loadBasesFor(db, chunk.pairs.map((pair) => pair.incident.id)));
    const planned = request.replay
      ? replayPlan(request.replay, chunk.pairs, chunk.errors, deps.maps)
      : planChanges({
          command: planCommand(request),
          pairs: chunk.pairs,
          errors: chunk.errors,
          fields: request.fields,
          maps: deps.maps,
          directory,
          bases,
          guards,
          conflict: request.conflict,
          now: now(),
          loopWindowMs: deps.config.sync.loopWindowSeconds * 1000,
          unfinishedPaths,
          pushOnly: world.pushOnly,
        });
    const plan = withDirectionSwitches(planned, deps.config.sync.directions);
    // Only drifted pairs get a block in the tables.
    const drift = new Set(plan.changes.map((change) => change.incident));
    for (const { incident, issue } of chunk.pairs.filter((pair) => drift.has(pair.incident.id))) {
      headings.set(incident.id, { incident: incident.id, issue: issue.key, priority: incident.priority, title: incident.title, incidentUrl: incident.statusPageUrl, issueUrl: `${deps.config.jira.url.replace(/\/$/, '')}/browse/${issue.key}` });
    }
    if (writes) {
      const applied = await applyPlan(
        plan,
        { pairs: chunk.pairs, syncFields: coversAll ? deps.config.sync.fields : null, unfinishedPaths: new Set(unfinishedPaths.keys()) },
        { ...services, observe, status, onProgress: request.onProgress },
      );
      changes.push(...applied);
    } else {
      changes.push(...plan.changes);
    }
    errors.push(...plan.errors);
    pairsRead += chunk.pairs.length;
    if (chunk.highWater !== null && (highWater === null || chunk.highWater > highWater)) highWater = chunk.highWater;
  }
  const finalPlan: Plan = { command: planCommand(request), pairs: pairsRead + world.unchanged, changes, agreed: [], errors, ...(tickets && { tickets }) };
  if (!writes) {
    await recordChanges(db, runId, finalPlan.changes.map((change) => changeRow(change, change.category ?? null, 0, new Date(now()))));
    await recordErrors(db, runId, pairErrorRows(finalPlan.errors, new Date(now())));
    for (const change of finalPlan.changes) observe(changeEvent(runId, change, new Date(now())));
    for (const error of finalPlan.errors) observe(pairErrorEvent(runId, error, new Date(now())));
    return { plan: finalPlan, dryRun: true, headings, exitCode: exitCodeOf(finalPlan) };
  }
  await recordErrors(db, runId, pairErrorRows(finalPlan.errors, new Date(now())));
  for (const error of finalPlan.errors) observe(pairErrorEvent(runId, error, new Date(now())));
  // An interrupted run left slices unread: their changes are not seen yet, so the watermark stays.
  if (coversAll && !deps.interrupt?.aborted) await advanceWatermarks(db, deps.config.jira.project, highWater, incremental === undefined, new Date(now()));
  // Interrupted, the run did not do all it planned: the contract's "finished, but not everything was applied".
  const exitCode = deps.interrupt?.aborted ? EXIT.incomplete : exitCodeOf(finalPlan);
  return { plan: finalPlan, dryRun: false, headings, exitCode, notice };
}


function sameFields(a: readonly SyncField[], b: readonly SyncField[]): boolean {
  return a.length === b.length && a.every((field) => b.includes(field));
}

function incrementalSettings(deps: RunDeps, now: number): IncrementalSettings {
  return {
    project: deps.config.jira.project,
    // The configured fields, whatever --fields asks: pairs are recorded in sync over these.
    fields: deps.config.sync.fields,
    overlapMs: deps.config.sync.overlapSeconds * 1000,
    fullReadMs: deps.config.sync.fullReadHours * 3600 * 1000,
    now,
  };
}

function planCommand(request: RunRequest): SyncCommand {
  return request.command === 'diff' || request.command === 'apply' ? 'reconcile' : request.command;
}
