import { hostname } from 'node:os';
import { describeUnknownKey, loadConfig, type LoadOptions } from '../config/load.js';
import type { Config, ConflictPolicy } from '../config/schema.js';
import type { ImpactClient } from '../impact/client.js';
import type { JiraClient } from '../jira/client.js';
import { resolveMaps } from '../sync/decide/maps/resolve.js';
import type { FieldMaps } from '../sync/decide/maps/types.js';
import type { RunReport } from '../sync/report.js';
import type { RunRequest } from '../sync/run-request.js';
import { runSync } from '../sync/run.js';
import type { SyncField } from '../sync/fields.js';
import { stateLocation } from '../state/location.js';
import { openState, type StateDb } from '../state/open.js';
import { listenForInterrupt } from './interrupt.js';
import { clientsFor } from '../clients.js';
import { exitCodeOf } from './exit-codes.js';
import { redacting, rememberSecrets, type Io } from './io.js';
import { parseFields, parseIncidentIds, type CommonOptions } from './options.js';
import { runLogger } from './log.js';
import { writeRunMetrics } from './metrics-file.js';
import { startProgress } from './render/progress.js';

/** What a command needs once its settings are read: clients, maps, the state file, and output scrubbed of secrets. */
export interface Runtime {
  io: Io;
  config: Config;
  maps: FieldMaps;
  jira: JiraClient;
  impact: ImpactClient;
  state: StateDb;
  run(request: RunRequest): Promise<RunReport>;
  close(): Promise<void>;
}

/** `purpose`: `read` for a command that writes to neither side (diff), which needs no webhook secret. */
export async function openRuntime(options: CommonOptions, io: Io, purpose: LoadOptions['purpose'] = 'write'): Promise<Runtime> {
  const loaded = loadConfig({ file: options.config, env: io.env, dbPath: options.db, cwd: io.cwd, purpose });
  rememberSecrets(io, loaded.secrets);
  const scrubbed = redacting(io, loaded.secrets);
  for (const unknown of loaded.unknownKeys) scrubbed.stderr(`raidsync: warning: ${describeUnknownKey(unknown)} (ignored)\n`);
  const { config } = loaded;
  const maps = resolveMaps(config.maps, config.impact);
  const { jira, impact } = await clientsFor(config, maps);
  const state = await openState(stateLocation(config.state, io.cwd));
  const runtime: Runtime = {
    io: scrubbed,
    config,
    maps,
    jira,
    impact,
    state,
    run: async (request) => {
      const progress = await startProgress(scrubbed, options);
      const interrupt = listenForInterrupt(scrubbed);
      try {
        return await runSync(
          { ...request, onProgress: progress.update },
          { config, maps, jira, impact, state, owner: { pid: process.pid, host: hostname() }, interrupt: interrupt.signal, observer: runLogger(scrubbed, options.logFormat), exitCodeOf },
        );
      } finally {
        interrupt.dispose();
        progress.stop();
        await writeRunMetrics(request.command, options.metricsFile ?? config.metrics.file, state.db, config, scrubbed);
      }
    },
    close: () => state.close(),
  };
  return runtime;
}

/** A run request from the common options, with the config's defaults where a flag is absent. */
export function runRequest(
  runtime: Runtime,
  options: CommonOptions,
  request: { command: RunRequest['command']; dryRun: boolean; conflict?: ConflictPolicy | undefined; create?: boolean | undefined },
): RunRequest {
  const fields: SyncField[] = parseFields(options.fields, runtime.config.sync.fields);
  return {
    command: request.command,
    dryRun: request.dryRun,
    incidentIds: parseIncidentIds(options.incident),
    fields,
    conflict: request.conflict ?? runtime.config.sync.conflict,
    // reconcile (and diff, which shows what reconcile would do) create tickets by sync.create; push only with --create.
    create: request.create ?? ((request.command === 'reconcile' || request.command === 'diff') && runtime.config.sync.create),
  };
}
