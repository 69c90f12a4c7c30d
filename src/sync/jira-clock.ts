// JIRA's `Date` header is to the second: an instant up to a second past it is JIRA's clock as usual.
const SLACK_MS = 1_000;

/** The instant (epoch ms) is later than JIRA's clock can explain: that clock stepped back since (an NTP step on JIRA's host). */
export function aheadOfJira(instant: number, jiraNow: number | null): boolean {
  return jiraNow !== null && instant > jiraNow + SLACK_MS;
}
