/** What FireFighter's Slack form knew when it opened the ticket, beyond the incident itself. */
export interface TicketCreation {
  /** The incident's text as it was at creation. */
  description: string;
  /** Set when the incident had a Slack conversation (P1-P3): its category, priority emoji and name. */
  critical: { category: string; priorityEmoji: string; priorityName: string } | null;
  sellerContractId: string | null;
  suggestedTeamRouting: string | null;
}

/**
 * The description FireFighter writes on the tickets it creates: the critical block of
 * `UnifiedIncidentForm._create_jira_ticket` (incidents/forms/unified_incident.py:437-447), then the
 * "Additional Information" addendum of `RaidJiraClient.create_issue` (raid/client.py:59-104).
 */
export function firefighterTicketDescription(creation: TicketCreation, toolboxUrl: string): string {
  const { critical } = creation;
  let description = critical
    ? `${creation.description}\n\n🧯 This incident has been created for a critical incident.\n📦 Incident category: ${critical.category}\n${critical.priorityEmoji} Priority: ${critical.priorityName}\n`
    : creation.description;
  const addendum: string[] = [];
  if (creation.sellerContractId) addendum.push(`Seller link to TOOLBOX: ${toolboxUrl}?seller_id=${creation.sellerContractId}`);
  if (creation.suggestedTeamRouting && creation.suggestedTeamRouting !== 'SBI') {
    addendum.push(`Suggested team to be routed: *${creation.suggestedTeamRouting}*`);
  }
  if (addendum.length > 0) description += `\n *Additional Information* \n${addendum.join('\n')}`;
  return description;
}
