import { loadBasesFor } from '../state/bases.js';
import { loadLoopGuards, pruneLoopGuards } from '../state/loop-guards.js';
import { lastCompletedWritingRun } from '../state/pair-baseline.js';
import { loadPairs, rememberListedDigests } from '../state/pairs.js';
import { recordChanges, recordErrors } from '../state/runs.js';
import { loadStatusPaths, type StatusPath } from '../state/status-paths.js';
import type { ApplyPlanDeps, ApplyPlanScope } from './act/apply-plan.js';
import { createTickets, planTickets, ticketRow, type CreateResult, type TicketPlan } from './act/create-tickets.js';
import { describeRecovery, settleInterruptedWrites } from './act/recovery.js';
import { statusPushSettings } from './act/status-push-settings.js';
import { LoopGuards } from './decide/loop-guard.js';
import type { Pair } from './decide/pair.js';
import type { FieldChange, PairError, Plan, SyncCommand, TicketChange } from './decide/plan.js';
import { plan as planChanges } from './decide/planner.js';
import { replayPlan } from './decide/replay.js';
import { toBases, toGuards } from './decide/stored-state.js';
import { withDirectionSwitches } from './decide/switches.js';
import { directoryCache } from './directory-cache.js';
import { resolveDirectory, type DirectoryCache } from './directory.js';
import { changeEvent, pairErrorEvent } from './events.js';
import type { SyncField } from './fields.js';
import { advanceWatermarks, forgetWritesAheadOfJira, listedDigest as listedOver, ownWrites, planIncrementalRead, type IncrementalSettings } from './incremental.js';
import { readWorld, type IncrementalRead, type PairChunk, type World } from './read.js';
import { changeRow, pairErrorRows } from './act/record.js';
import type { RunDeps, RunRequest } from './run-request.js';
import type { RunSession } from './run-session.js';
import { scrubbed } from './scrubbed.js';
import { assertNotShrunk } from './shrink-guard.js';

/** What every slice of a run shares, found once before the first. */
export interface PreparedRun {
  command: SyncCommand;
  writes: boolean;
  runId: number;
  /** Why earlier runs' writes were settled, shown above the tables. */
  notice: string | undefined;
  /** The tickets to create, decided before the read; created only once the whole plan is within sync.maxChanges. */
  ticketPlan: TicketPlan | undefined;
  world: World;
  incremental: IncrementalRead | undefined;
  /** Only a run over every pair and configured field may vouch for pairs it did not read. */
  coversAll: boolean;
  unfinishedPaths: ReadonlyMap<number, StatusPath>;
  guards: LoopGuards;
  directory: DirectoryCache;
  applyDeps: ApplyPlanDeps;
  scope(pairs: readonly Pair[]): ApplyPlanScope;
  /** Stops the run when the pairs seen fall below the last completed run's (`missing`: tickets JIRA did not return so far). */
  shrinkCheck(missing: number): void;
  missing: number;
}

/** Settles what killed runs left, decides the tickets to create, and reads FireFighter's side (and JIRA's changes on an incremental run). */
export async function prepareRun(request: RunRequest, deps: RunDeps, session: RunSession): Promise<PreparedRun> {
  const now = deps.now ?? Date.now;
  const observe = deps.observer ?? (() => undefined);
  const { db } = deps.state;
  const { runId, writes } = session;
  let notice: string | undefined;
  if (writes) {
    notice = describeRecovery(await settleInterruptedWrites(deps.state, deps, new Date(now())), session.crashedRuns);
    await pruneLoopGuards(db, { olderThanSeconds: deps.config.sync.loopWindowSeconds, now: new Date(now()) });
  }
  const services = { config: deps.config, maps: deps.maps, jira: deps.jira, impact: deps.impact, db, runId, now, interrupted: () => deps.interrupt?.aborted === true };
  const coversAll = request.incidentIds === undefined && !request.replay && sameFields(request.fields, deps.config.sync.fields);
  const ticketPlan = request.create && !request.replay ? await planTickets({ incidentIds: request.incidentIds }, services) : undefined;
  const storedPairs = await loadPairs(db);
  const incremental = request.incidentIds === undefined && !request.replay ? await planIncrementalRead(db, incrementalSettings(deps, now()), storedPairs) : undefined;
  const createdLinks = new Map(storedPairs.filter((pair) => pair.origin === 'created').map((pair) => [pair.incidentId, pair.issueKey]));
  const written = await ownWrites(db, new Date(now()), writes);
  // After the recovery above, which may have changed incidents.
  const world = await readWorld(deps.impact, deps.jira, { incidentIds: request.incidentIds, onProgress: request.onProgress, incremental, createdLinks, written });
  // Before any pair is recorded: a pair this run changes voids what is remembered of it.
  if (writes) await rememberListedDigests(db, world.seenSettled);
  const listedDigest = (incidentId: number) => {
    const digest = world.digests.get(incidentId);
    return digest === undefined ? undefined : listedOver(digest, deps.config.sync.fields);
  };
  const guarded = writes && request.incidentIds === undefined && !request.replay;
  const linked = world.toRead.length + world.unchanged;
  const baseline = guarded ? ((await lastCompletedWritingRun(db))?.pairs ?? null) : null;
  const shrinkCheck = (missing: number) =>
    assertNotShrunk({ baseline, incidents: world.listed, linked, pairs: linked - missing, minRatio: deps.config.sync.minPairsRatio });
  // FireFighter's side, before any ticket is read: a list that collapsed stops the run here.
  shrinkCheck(0);
  const unfinishedPaths = new Map((await loadStatusPaths(db)).map((path) => [path.incidentId, path]));
  const guards = new LoopGuards(toGuards(await loadLoopGuards(db)));
  const directory = await directoryCache(db, new Date(now()));
  const status = statusPushSettings(deps.config, deps.jira, db, now);
  return {
    command: planCommand(request),
    writes,
    runId,
    notice,
    ticketPlan,
    world,
    incremental,
    coversAll,
    unfinishedPaths,
    guards,
    directory,
    applyDeps: { ...services, observe, status },
    scope: (pairs) => ({ pairs, syncFields: coversAll ? deps.config.sync.fields : null, unfinishedPaths: new Set(unfinishedPaths.keys()), listedDigest }),
    shrinkCheck,
    missing: 0,
  };
}

/** The planned tickets created (or, dry, shown), recorded with the run; and the world of the pairs they made, to sync them too. */
export async function createPlannedTickets(plan: TicketPlan, deps: RunDeps, run: PreparedRun): Promise<{ created: CreateResult; tickets: TicketChange[]; world: World }> {
  const now = deps.now ?? Date.now;
  const observe = deps.observer ?? (() => undefined);
  const created = await createTickets(plan, !run.writes, run.applyDeps);
  const tickets = created.tickets.map((ticket) => ({ ...ticket, reason: scrubbed(ticket.reason, deps.config) }));
  await recordChanges(deps.state.db, run.runId, tickets.map((ticket) => ticketRow(ticket, new Date(now()))));
  for (const ticket of tickets) observe(changeEvent(run.runId, ticket, new Date(now())));
  const made = new Map(tickets.filter((ticket) => ticket.outcome === 'applied').map((ticket) => [ticket.incident, ticket.issue]));
  // FireFighter cannot learn these links: the new pairs sync push-only, as every later run syncs them.
  const toRead = run.world.incidents.filter((incident) => made.has(incident.id)).map((incident) => ({ ...incident, jiraTicketKey: made.get(incident.id) as string }));
  const world: World = { ...run.world, toRead, known: new Map(), errors: [], unchanged: 0, highWater: null, pushOnly: new Set([...run.world.pushOnly, ...made.keys()]) };
  return { created, tickets, world };
}

/** A slice's plan: checked against the shrink guard, commanders resolved, bases loaded, then planned (or replayed) and switched. */
export async function decideSlice(chunk: PairChunk, request: RunRequest, deps: RunDeps, run: PreparedRun): Promise<Plan> {
  const now = deps.now ?? Date.now;
  // JIRA's side, slice by slice, before the slice's writes: tickets gone missing count against the same baseline.
  run.missing += chunk.asked - chunk.pairs.length;
  run.shrinkCheck(run.missing);
  const commanders = request.fields.includes('commander') && !request.replay
    ? chunk.pairs.map((pair) => pair.incident.commanderEmail).filter((email): email is string => email !== null && !(email in deps.maps.users))
    : [];
  const directory = await resolveDirectory(commanders, deps.jira, deps.config.jira.deployment, run.directory);
  const bases = toBases(await loadBasesFor(deps.state.db, chunk.pairs.map((pair) => pair.incident.id)));
  const planned = request.replay
    ? replayPlan(request.replay, chunk.pairs, chunk.errors, deps.maps)
    : planChanges({
        command: run.command,
        pairs: chunk.pairs,
        errors: chunk.errors,
        fields: request.fields,
        maps: deps.maps,
        directory,
        bases,
        guards: run.guards,
        conflict: request.conflict,
        now: now(),
        loopWindowMs: deps.config.sync.loopWindowSeconds * 1000,
        unfinishedPaths: run.unfinishedPaths,
        pushOnly: run.world.pushOnly,
      });
  return withDirectionSwitches(planned, deps.config.sync.directions);
}

/** After the last slice: a dry run records what it would do; a writing run its errors, and the watermarks it may advance. */
export async function finishSlices(
  listed: { changes: readonly FieldChange[]; errors: readonly PairError[] },
  highWater: number | null,
  deps: RunDeps,
  run: PreparedRun,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const observe = deps.observer ?? (() => undefined);
  const { db } = deps.state;
  if (!run.writes) {
    await recordChanges(db, run.runId, listed.changes.map((change) => changeRow(change, change.category ?? null, 0, new Date(now()))));
  }
  await recordErrors(db, run.runId, pairErrorRows(listed.errors, new Date(now())));
  if (!run.writes) for (const change of listed.changes) observe(changeEvent(run.runId, change, new Date(now())));
  for (const error of listed.errors) observe(pairErrorEvent(run.runId, error, new Date(now())));
  // An interrupted run left slices unread: their changes are not seen yet, so the watermark stays.
  if (run.writes && run.coversAll && !deps.interrupt?.aborted) {
    const jiraNow = deps.jira.serverNow();
    await advanceWatermarks(db, deps.config.jira.project, highWater, jiraNow, run.incremental === undefined, new Date(now()));
    await forgetWritesAheadOfJira(db, run.world.written, jiraNow);
  }
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
