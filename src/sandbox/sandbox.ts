import { fileURLToPath } from 'node:url';
import { startImpactEmulator, type ImpactEmulator } from './impact/server.js';
import { loadImpactSeed, parseImpactSeed, type ImpactSeed, type ParsedImpactSeed } from './impact/seed.js';
import { startJiraEmulator, type JiraEmulator } from './jira/server.js';
import { loadJiraSeed, parseJiraSeed, type JiraSeed, type ParsedJiraSeed } from './jira/seed.js';
import {
  asCreatedByFirefighter,
  firefighterJiraLogin,
  loadTicketCreations,
  SANDBOX_FIREFIGHTER_JIRA,
  withFirefighterAccount,
  workflowGraph,
} from './live.js';

export { SANDBOX_FIREFIGHTER_JIRA } from './live.js';

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
export const SANDBOX_FIREFIGHTER_ACCOUNT = SANDBOX_FIREFIGHTER_JIRA.accountId;

/** The two systems wired as in production: JIRA's webhook registered in FireFighter, FireFighter's push to JIRA on. */
export interface LiveOptions {
  /** How long after a JIRA change its webhook leaves (default 10 ms). */
  deliveryDelayMs?: number;
  /** FireFighter's JIRA_SYNC_CACHE_TIMEOUT in ms (default 60 000). */
  syncCacheTtlMs?: number;
}

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
  /** Off by default: the emulators then never talk to each other. */
  live?: boolean | LiveOptions;
}

export interface Sandbox {
  jira: JiraEmulator;
  impact: ImpactEmulator;
  /** The RAIDSYNC_* variables that point raidsync at this sandbox. */
  env: Record<string, string>;
  /** The RAIDSYNC_* variables that sign raidsync in to JIRA as FireFighter's service account instead of its own bot. */
  firefighterJiraEnv: Record<string, string>;
  /** Resolves once no webhook delivery and no FireFighter push is left in flight (at once when not live). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** Starts both emulators on free loopback ports, seeded from fixtures/ unless given other seeds. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const mode = options.mode ?? 'cloud';
  const live = options.live === true ? {} : options.live || undefined;
  // The firefighter preset speaks FireFighter's workflow (Incoming … Closed), the seed preset a ten-status one.
  let jiraSeed: ParsedJiraSeed =
    options.jiraSeed === undefined
      ? await loadJiraSeed(fixturePath(options.maps === 'firefighter' ? 'jira-firefighter.json' : 'jira.json'))
      : parseJiraSeed(options.jiraSeed);
  const impactSeed: ParsedImpactSeed = options.impactSeed === undefined ? await loadImpactSeed(fixturePath('impact.json')) : parseImpactSeed(options.impactSeed);
  if (live) {
    // The fixtures' tickets are FireFighter's: they carry its description addenda.
    if (options.jiraSeed === undefined && options.impactSeed === undefined) {
      jiraSeed = asCreatedByFirefighter(jiraSeed, impactSeed, await loadTicketCreations(fixturePath('firefighter-created.json')));
    }
    jiraSeed = withFirefighterAccount(jiraSeed);
  }
  const jira = await startJiraEmulator({
    mode,
    seed: jiraSeed,
    ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    ...(options.indexLagMs !== undefined && { indexLagMs: options.indexLagMs }),
    ...(options.searchPageCap !== undefined && { searchPageCap: options.searchPageCap }),
  });
  let impact: ImpactEmulator;
  try {
    impact = await startImpactEmulator({
      seed: impactSeed,
      tokens: { [SANDBOX_CREDENTIALS.impactToken]: { canView: true } },
      webhookSecret: SANDBOX_CREDENTIALS.webhookSecret,
      // Live, FireFighter reads JIRA with its own code's map whatever preset raidsync runs with.
      jiraMap: live ? 'firefighter' : (options.maps ?? 'seed'),
      selfAccountId: options.firefighterAccountId ?? SANDBOX_FIREFIGHTER_ACCOUNT,
      ...(live && {
        jiraSync: { jiraUrl: jira.url, login: firefighterJiraLogin(mode), workflow: workflowGraph(jiraSeed.projects.find((project) => project.key === 'INC') ?? jiraSeed.projects[0]!) },
        ...(live.syncCacheTtlMs !== undefined && { syncCacheTtlMs: live.syncCacheTtlMs }),
      }),
      ...(options.latencyMs !== undefined && { latencyMs: options.latencyMs }),
    });
  } catch (error) {
    await jira.close();
    throw error;
  }
  if (live) {
    jira.webhooks.register({
      url: `${impact.url}/api/v2/firefighter/raid/jira_update`,
      secret: SANDBOX_CREDENTIALS.webhookSecret,
      ...(live.deliveryDelayMs !== undefined && { delayMs: live.deliveryDelayMs }),
    });
  }
  const env: Record<string, string> = {
    RAIDSYNC_JIRA_URL: jira.url,
    RAIDSYNC_JIRA_DEPLOYMENT: mode,
    RAIDSYNC_JIRA_PROJECT: 'INC',
    RAIDSYNC_IMPACT_URL: impact.url,
    RAIDSYNC_IMPACT_TOKEN: SANDBOX_CREDENTIALS.impactToken,
    RAIDSYNC_IMPACT_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.webhookSecret,
    RAIDSYNC_MAPS: options.maps ?? 'seed',
    // What this sandbox's FireFighter webhook speaks: its code's map when live, else the preset's.
    RAIDSYNC_IMPACT_WEBHOOK_MAP: live ? 'firefighter' : (options.maps ?? 'seed'),
    ...(mode === 'cloud'
      ? { RAIDSYNC_JIRA_EMAIL: SANDBOX_CREDENTIALS.jiraEmail, RAIDSYNC_JIRA_API_TOKEN: SANDBOX_CREDENTIALS.jiraApiToken }
      : { RAIDSYNC_JIRA_PAT: SANDBOX_CREDENTIALS.jiraPat }),
  };
  const firefighterJiraEnv: Record<string, string> =
    mode === 'cloud'
      ? { RAIDSYNC_JIRA_EMAIL: SANDBOX_FIREFIGHTER_JIRA.email, RAIDSYNC_JIRA_API_TOKEN: SANDBOX_FIREFIGHTER_JIRA.apiToken }
      : { RAIDSYNC_JIRA_PAT: SANDBOX_FIREFIGHTER_JIRA.pat };
  return {
    jira,
    impact,
    env,
    firefighterJiraEnv,
    settled: async () => {
      // A delivery can make FireFighter push, and a push makes deliveries: wait until a pass starts nothing new.
      let activity: number;
      do {
        activity = jira.webhooks.deliveries.length + impact.jiraSync.pushes.length;
        await jira.webhooks.settled();
        await impact.jiraSync.settled();
      } while (activity !== jira.webhooks.deliveries.length + impact.jiraSync.pushes.length);
    },
    close: async () => {
      await Promise.allSettled([jira.close(), impact.close()]);
    },
  };
}
