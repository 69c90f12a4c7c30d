import type { Config } from '../config/schema.js';
import type { JiraUser } from '../jira/issue.js';
import { pass, warn, type CheckResult } from './check.js';

const NAME = "how raidsync runs beside FireFighter's own sync";

/**
 * Which of the two set-ups is in force: raidsync's JIRA account and the author it names in FireFighter updates
 * apart (coexistence), or one account for both, whose every JIRA write FireFighter copies back into the incident.
 */
export function checkCoexistence(config: Config, me: JiraUser): CheckResult {
  const account = me.accountId ?? me.name ?? '';
  const shown = me.displayName ? `${me.displayName} (${account})` : account;
  const actor = config.impact.webhookActor ?? account;
  if (actor !== account) {
    return pass(
      'config',
      NAME,
      `coexistence: raidsync writes to JIRA as ${shown} and names "${actor}" as the author of its FireFighter updates (impact.webhookActor). ` +
        `If that is FireFighter's service account (RAID_DEFAULT_JIRA_QRAFT_USER_ID), FireFighter drops the echo of raidsync's JIRA writes as its own and applies raidsync's updates`,
    );
  }
  const detail =
    `one account: raidsync writes to JIRA as ${shown} and names the same account in its FireFighter updates. ` +
    "FireFighter copies each of raidsync's JIRA writes into the incident (every status hop an update and a Slack alert); were this FireFighter's own account, it would ignore raidsync's updates instead";
  const statusPushed = config.sync.fields.includes('status') && config.sync.directions.impactToJira;
  if (!statusPushed) return pass('config', NAME, `${detail}; status is not pushed, so no hop is echoed`);
  return warn(
    'config',
    NAME,
    `${detail}; status is synced, so a push of several hops reaches the incident hop by hop and can leave it in an intermediate status`,
    "sign raidsync in to JIRA as FireFighter's service account and set impact.webhookActor (RAIDSYNC_IMPACT_WEBHOOK_ACTOR) to another accountId (docs/coexistence.md), or leave status out of sync.fields",
  );
}
