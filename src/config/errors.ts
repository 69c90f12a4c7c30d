/** An invalid or incomplete configuration: the message names the key and what is wrong (exit 2). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Said wherever a write to FireFighter finds no secret to sign it with. */
export const MISSING_WEBHOOK_SECRET =
  "missing credential: impact.webhookSecret is required to write to FireFighter (FireFighter's RAID_JIRA_WEBHOOK_SECRET); set it in the config file or RAIDSYNC_IMPACT_WEBHOOK_SECRET";
