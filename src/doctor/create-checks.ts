import type { Config } from '../config/schema.js';
import type { JiraClient } from '../jira/client.js';
import { errorMessage } from '../net/errors.js';
import type { FieldMaps } from '../sync/decide/maps/types.js';
import { fail, pass, type CheckResult } from './check.js';

const NAME = 'the create screen has every field a new ticket sets';

/** The fields raidsync's created tickets set (prepare_jira_fields' mapping), each on the create screen of create.issueType. */
export async function checkCreateScreen(jira: JiraClient, config: Config, maps: FieldMaps): Promise<CheckResult> {
  const { project } = config.jira;
  const { issueType, fields } = config.create;
  const wanted: Array<[string, string]> = [
    ['summary', 'summary'],
    ['description', 'description'],
    ['labels', 'labels (the ff-incident-<id> stamp)'],
    [maps.priorityField, `${maps.priorityField} (priority)`],
    [fields.environments, `${fields.environments} (create.fields.environments)`],
    [fields.platform, `${fields.platform} (create.fields.platform)`],
    [fields.businessImpact, `${fields.businessImpact} (create.fields.businessImpact)`],
    ...(fields.category === undefined ? [] : [[fields.category, `${fields.category} (create.fields.category)`] as [string, string]]),
  ];
  let screen: string[] | null;
  try {
    screen = await jira.createScreenFields(project, issueType);
  } catch (error) {
    return fail('service', NAME, `the create screen of ${project} could not be read: ${errorMessage(error)}`, "give raidsync's JIRA account the Create issues permission in the project");
  }
  if (screen === null) {
    return fail('config', NAME, `${project} offers no issue type "${issueType}" to create`, 'set create.issueType to an issue type of the project (default Incident)');
  }
  const missing = wanted.filter(([id]) => !screen.includes(id)).map(([, label]) => label);
  if (missing.length > 0) {
    return fail('maps', NAME, `not on the create screen of ${issueType} in ${project}: ${missing.join(', ')}`, 'add them to the screen, or point create.fields.* at the field ids your JIRA uses');
  }
  return pass('maps', NAME, `${issueType} in ${project}: ${wanted.map(([id]) => id).join(', ')}`);
}
