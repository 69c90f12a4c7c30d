/** The starter config `raidsync init` writes: the seed preset, every key explained, no secrets. */
export function starterConfig(): string {
  return `# raidsync configuration. Every key can also come from the environment (shown beside it);
# secrets belong in the environment, never in this file.

jira:
  # Base URL of your JIRA site.                                      RAIDSYNC_JIRA_URL
  url: https://acme.atlassian.net
  # cloud: basic auth (email + API token), enhanced search.          RAIDSYNC_JIRA_DEPLOYMENT
  # datacenter: bearer personal access token, /search with startAt.
  deployment: cloud
  # The account raidsync writes as (Cloud).                          RAIDSYNC_JIRA_EMAIL
  email: raidsync-bot@acme.example
  # apiToken: set RAIDSYNC_JIRA_API_TOKEN (Cloud)
  # pat:      set RAIDSYNC_JIRA_PAT (Data Center)
  # Project key of incident tickets (the seed's RAID_JIRA_PROJECT_KEY). RAIDSYNC_JIRA_PROJECT
  project: INC
  # Statuses never passed *through* on the way to another (they may still be the target).
  terminalStatuses: [Closed]
  # Values for fields a transition screen requires, by target status.
  transitionFields:
    Resolved:
      resolution: { name: Done }
  # Seconds before a JIRA request is abandoned (then retried where safe).
  timeoutSeconds: 30
  # false: edits send notifyUsers=false (allowed to project admins), so a bulk repair mails no watcher.
  notifyUsers: true

impact:
  # FireFighter base URL; its API lives under /api/v2/firefighter/.  RAIDSYNC_IMPACT_URL
  url: https://firefighter.acme.example
  # token:         set RAIDSYNC_IMPACT_TOKEN (sent as Authorization: Bearer)
  # webhookSecret: set RAIDSYNC_IMPACT_WEBHOOK_SECRET (FireFighter's RAID_JIRA_WEBHOOK_SECRET)
  # Beside FireFighter's own sync, sign in to JIRA as its service account and name another
  # accountId here as the author of raidsync's updates (docs/coexistence.md).  RAIDSYNC_IMPACT_WEBHOOK_ACTOR
  # webhookActor: 5b10ac8d82e05b22cc7d4eb0
  # The JIRA status names FireFighter's webhook understands: firefighter (its code) or seed.  RAIDSYNC_IMPACT_WEBHOOK_MAP
  webhookMap: firefighter
  # webhookStatuses: { "Reporter validation": Mitigated }
  timeoutSeconds: 30

state:
  # SQLite file with bases, loop guards and run history.             RAIDSYNC_DB
  path: ./.raidsync/state.sqlite

maps:
  # seed: the seed design's maps (standard priority by name).        RAIDSYNC_MAPS
  # firefighter: FireFighter's code today (customfield_11064, Incoming/in progress/...).
  preset: seed
  # Single entries laid over the preset, e.g.:
  # jiraToImpactStatus: { "Code Review": Mitigating }
  # impactToJiraStatus: { Mitigated: Done }
  # jiraToImpactPriority: { Critical: 1 }
  # impactToJiraPriority: { "1": Critical }
  # Commanders whose email JIRA hides: email → accountId (Cloud) or login (Data Center).
  # users: { "dave@acme.example": "5b10ac8d82e05b22cc7d4ef5" }

sync:
  # false: every writing command plans and reports, and writes nothing.  RAIDSYNC_ENABLED
  enabled: true
  # Each direction on its own (the seed's ENABLE_JIRA and ENABLE_RAID); a direction that is
  # off reports its changes as skipped.
  directions:
    impactToJira: true   # writes to JIRA                            RAIDSYNC_ENABLE_JIRA
    jiraToImpact: true   # writes to FireFighter                     RAIDSYNC_ENABLE_RAID
  # Which fields to keep in agreement.
  fields: [title, description, priority, status, commander]
  # When both sides changed since the last sync: impact pushes, jira pulls, skip reports (exit 4).
  conflict: impact
  # After raidsync writes a field, a different value read back within this window is an echo, not an edit.
  loopWindowSeconds: 30
  # A writing run whose plan holds more changes stops before its first write (exit 3); 0 = no limit.
  maxChanges: 500        # --max-changes                                RAIDSYNC_MAX_CHANGES

net:
  # The longest Retry-After (JIRA's or FireFighter's) one request waits out, in seconds; nothing is
  # sent to that host (or the endpoint or issue the limit names) meanwhile. A longer ask fails that work.
  maxRetryWaitSeconds: 600

# Prometheus text file written after every push, pull, reconcile and apply (node_exporter's
# textfile collector), or --metrics-file.                             RAIDSYNC_METRICS_FILE
# metrics:
#   file: /var/lib/node_exporter/textfile_collector/raidsync.prom
`;
}
