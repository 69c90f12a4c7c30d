import { fileURLToPath } from 'node:url';
import { startImpactEmulator, type ImpactEmulator } from './impact/server.js';
import { loadImpactSeed, type ImpactSeed } from './impact/seed.js';
import { startJiraEmulator, type JiraEmulator } from './jira/server.js';
import { loadJiraSeed, type JiraSeed } from './jira/seed.js';

/** The sandbox's credentials: raidsync's bot in JIRA and its FireFighter API token. Not secrets of anything real. */
export const SANDBOX_CREDENTIALS = {
  jiraEmail: 'raidsync-bot@acme.test',
  jiraApiToken: 'sandbox-jira-token',
  jiraPat: 'sandbox-jira-pat',
  impactToken: 'sandbox-impact-token',
  webhookSecret: 'sandbox-webhook-secret',
} as const;

/** The config `raidsync demo` runs with beside the sandbox's environment: what a real team would set. */
export const SANDBOX_DEMO_CONFIG = `# raidsync demo: the sandbox's settings beyond its RAIDSYNC_* environment.
jira:
  transitionFields:
    Resolved:
      resolution: { name: Done }
maps:
  users:
    # JIRA hides Dave's email: map it to his account by hand.
    dave@acme.test: 5b10ac8d82e05b22cc7d4e04
`;

/** FireFighter's own JIRA account (RAID_DEFAULT_JIRA_QRAFT_USER_ID) in the sandbox: not raidsync's. */
export const SANDBOX_FIREFIGHTER_ACCOUNT = 'firefighter-qraft';

export interface SandboxOptions {
  mode?: 'cloud' | 'datacenter';
  /** Which preset the sandbox's FireFighter and JIRA workflow speak. */
  maps?: 'seed' | 'firefighter';
  jiraSeed?: JiraSeed;
  impactSeed?: ImpactSeed;
  latencyMs?: number;
  indexLagMs?: number;
  searchPageCap?: number;
  /** FireFighter ignores webhook items by this account; default its own, not raidsync's. */
  firefighterAccountId?: string;
}

export interface Sandbox {
  jira: JiraEmulator;
  impact: ImpactEmulator;
  /** The RAIDSYNC_* variables that point raidsync at this sandbox. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** Starts both emulators on free loopback ports, seeded from fixtures/ unless given other seeds. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const mode = options.mode ?? 'cloud';
  const jira = await startJiraEmulator({
    mode,
    // The firefighter preset speaks FireFighter's workflow (Incoming … Closed), the seed preset a ten-status one.
    seed: options.jiraSeed ?? (await loadJiraSeed(fixturePath(options.maps === 'firefighter' ? 'jira-firefighter.json' : 'jira.json'))),
    ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    ...(options.indexLagMs !== undefined && { indexLagMs: options.indexLagMs }),
    ...(options.searchPageCap !== undefined && { searchPageCap: options.searchPageCap }),
  });
  let impact: ImpactEmulator;
  try {
    impact = await startImpactEmulator({
      seed: options.impactSeed ?? (await loadImpactSeed(fixturePath('impact.json'))),
      tokens: { [SANDBOX_CREDENTIALS.impactToken]: { canView: true } },
      webhookSecret: SANDBOX_CREDENTIALS.webhookSecret,
      jiraMap: options.maps ?? 'seed',
      selfAccountId: options.firefighterAccountId ?? SANDBOX_FIREFIGHTER_ACCOUNT,
      ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    });
  } catch (error) {
    await jira.close();
    throw error;
  }
  const env: Record<string, string> = {
    RAIDSYNC_JIRA_URL: jira.url,
    RAIDSYNC_JIRA_DEPLOYMENT: mode,
    RAIDSYNC_JIRA_PROJECT: 'INC',
    RAIDSYNC_IMPACT_URL: impact.url,
    RAIDSYNC_IMPACT_TOKEN: SANDBOX_CREDENTIALS.impactToken,
    RAIDSYNC_IMPACT_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.webhookSecret,
    RAIDSYNC_MAPS: options.maps ?? 'seed',
    ...(mode === 'cloud'
      ? { RAIDSYNC_JIRA_EMAIL: SANDBOX_CREDENTIALS.jiraEmail, RAIDSYNC_JIRA_API_TOKEN: SANDBOX_CREDENTIALS.jiraApiToken }
      : { RAIDSYNC_JIRA_PAT: SANDBOX_CREDENTIALS.jiraPat }),
  };
  return {
    jira,
    impact,
    env,
    close: async () => {
      await Promise.allSettled([jira.close(), impact.close()]);
    },
  };
}
