import type { Incident } from '../../impact/incident.js';
import type { JiraIssue } from '../../jira/issue.js';
import type { SyncField } from '../fields.js';
import type { FieldMaps } from './maps/types.js';
import type { UserDirectory } from './user-directory.js';

/** An incident and its JIRA ticket, both as read this run. */
export interface Pair {
  incident: Incident;
  issue: JiraIssue;
}

/** A pair with what its values are carried across by: the maps, and the commanders' JIRA accounts. */
export interface PairContext extends Pair {
  maps: FieldMaps;
  directory: UserDirectory;
}

/** The values both sides had when raidsync last saw a field in agreement. */
export interface BaseValues {
  impact: string | null;
  jira: string | null;
}

export type Bases = ReadonlyMap<number, ReadonlyMap<SyncField, BaseValues>>;

const NO_DIRECTORY: UserDirectory = new Map();

/** A pair's context; without a directory when only values are compared, not commanders resolved. */
export function pairContext(pair: Pair, maps: FieldMaps, directory: UserDirectory = NO_DIRECTORY): PairContext {
  return { incident: pair.incident, issue: pair.issue, maps, directory };
}
