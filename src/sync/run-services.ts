import type { Kysely } from 'kysely';
import type { Config } from '../config/schema.js';
import type { ImpactClient } from '../impact/client.js';
import type { JiraClient } from '../jira/client.js';
import type { Database } from '../state/schema.js';
import type { FieldMaps } from './decide/maps/types.js';

/** What every writing step of a run works with: the settings, both clients, the state, the run and its clock. */
export interface RunServices {
  config: Config;
  maps: FieldMaps;
  jira: JiraClient;
  impact: ImpactClient;
  db: Kysely<Database>;
  runId: number;
  now: () => number;
  interrupted: () => boolean;
}
