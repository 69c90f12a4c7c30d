import type { Config } from './config/schema.js';
import { ImpactClient } from './impact/client.js';
import { configureRetryWaitBound } from './net/retry.js';
import type { JiraClient } from './jira/client.js';
import type { FieldMaps } from './sync/decide/maps/types.js';

/** Both services' clients, as the settings describe them. */
export async function clientsFor(config: Config, maps: FieldMaps): Promise<{ jira: JiraClient; impact: ImpactClient }> {
  // jira.js is the heaviest module here (about 0.5 s and 30 MB to load): only commands that reach JIRA load it.
  const { JiraClient } = await import('./jira/client.js');
  configureRetryWaitBound(config.net.maxRetryWaitSeconds * 1000);
  const jira = new JiraClient({
    url: config.jira.url,
    deployment: config.jira.deployment,
    auth: config.jira.pat ? { pat: config.jira.pat } : { email: config.jira.email ?? '', apiToken: config.jira.apiToken ?? '' },
    priorityField: maps.priorityField,
    timeoutMs: config.jira.timeoutSeconds * 1000,
    notifyUsers: config.jira.notifyUsers,
  });
  const impact = new ImpactClient({
    url: config.impact.url,
    token: config.impact.token,
    webhookSecret: config.impact.webhookSecret,
    timeoutMs: config.impact.timeoutSeconds * 1000,
  });
  return { jira, impact };
}
