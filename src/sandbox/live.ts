import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ParsedImpactSeed } from './impact/seed.js';
import type { FirefighterJiraLogin } from './impact/realtime-sync.js';
import { firefighterTicketDescription } from './impact/ticket-description.js';
import type { WorkflowGraph } from './impact/workflow-path.js';
import type { JiraMode } from './jira/auth.js';
import type { ParsedJiraSeed, SeedProject } from './jira/seed.js';

/** FireFighter's JIRA service account (RAID_DEFAULT_JIRA_QRAFT_USER_ID and RAID_JIRA_API_USER) in the sandbox. Not raidsync's. */
export const SANDBOX_FIREFIGHTER_JIRA = {
  accountId: 'firefighter-qraft',
  /** Data Center login name. */
  name: 'firefighter',
  displayName: 'FireFighter',
  email: 'firefighter@acme.test',
  apiToken: 'sandbox-firefighter-jira-token',
  pat: 'sandbox-firefighter-jira-pat',
} as const;

/** How FireFighter signs in to JIRA: Basic with the email (Cloud) or login name (Data Center) and its token. */
export function firefighterJiraLogin(mode: JiraMode): FirefighterJiraLogin {
  const account = SANDBOX_FIREFIGHTER_JIRA;
  return { user: mode === 'cloud' ? account.email : account.name, password: account.apiToken };
}

const ticketCreationsSchema = z.object({
  /** RAID_TOOLBOX_URL. */
  toolboxUrl: z.url(),
  /** The Slack form's seller fields, by ticket key; tickets not listed had none. */
  tickets: z.record(
    z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/),
    z.object({ sellerContractId: z.string().min(1).nullable(), suggestedTeamRouting: z.string().min(1).max(10).nullable() }),
  ),
});

export type TicketCreations = z.output<typeof ticketCreationsSchema>;

export async function loadTicketCreations(path: string): Promise<TicketCreations> {
  return ticketCreationsSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

/** The JIRA seed with FireFighter's service account added, so it can sign in as itself. */
export function withFirefighterAccount(seed: ParsedJiraSeed): ParsedJiraSeed {
  if (seed.users.some((user) => user.accountId === SANDBOX_FIREFIGHTER_JIRA.accountId)) return seed;
  const { accountId, name, displayName, email, apiToken, pat } = SANDBOX_FIREFIGHTER_JIRA;
  return { ...seed, users: [...seed.users, { accountId, name, displayName, email, emailVisible: true, apiToken, pat, active: true, assignable: true, timeZone: 'Europe/Paris' }] };
}

/**
 * The tickets as FireFighter created them for its incidents: each linked ticket's text (the incident's at creation)
 * followed by the addenda FireFighter's Slack form and `create_issue` append.
 */
export function asCreatedByFirefighter(jira: ParsedJiraSeed, impact: ParsedImpactSeed, creations: TicketCreations): ParsedJiraSeed {
  const issues = jira.issues.map((issue) => {
    const incident = impact.incidents.find((candidate) => candidate.jiraTicketKey === issue.key);
    if (!incident) return issue;
    const priority = impact.priorities.find((candidate) => candidate.value === incident.priority)!;
    const form = creations.tickets[issue.key];
    const description = firefighterTicketDescription(
      {
        description: issue.description ?? '',
        // Only P1-P3 incidents get a Slack conversation, and with it the critical block.
        critical: incident.slackChannelName === '' ? null : { category: incident.category, priorityEmoji: priority.emoji, priorityName: priority.name },
        sellerContractId: form?.sellerContractId ?? null,
        suggestedTeamRouting: form?.suggestedTeamRouting ?? null,
      },
      creations.toolboxUrl,
    );
    return { ...issue, description };
  });
  return { ...jira, issues };
}

/** The project's workflow as FireFighter's transition engine reads it from the workflow designer. */
export function workflowGraph(project: SeedProject): WorkflowGraph {
  return { statuses: project.workflow.statuses, transitions: project.workflow.transitions };
}
