// Apart from load.ts: the CLI's output edge needs these before any command, without loading yaml and zod.
const SECRET_ENV_KEYS = ['RAIDSYNC_JIRA_API_TOKEN', 'RAIDSYNC_JIRA_PAT', 'RAIDSYNC_IMPACT_TOKEN', 'RAIDSYNC_IMPACT_WEBHOOK_SECRET'];

/** The secret values the environment sets, known even when the configuration fails to load. */
export function secretsInEnv(env: NodeJS.ProcessEnv): string[] {
  return SECRET_ENV_KEYS.map((key) => env[key]).filter((value): value is string => typeof value === 'string' && value.length > 0);
}
