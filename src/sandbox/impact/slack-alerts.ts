/** One "modified issue" DM FireFighter sent to a ticket's watchers (`alert_slack_update_ticket`, raid/forms.py:171-186). */
export interface SlackAlertRecord {
  ticketKey: string;
  author: string;
  field: string;
  from: string;
  to: string;
}

export interface SlackKnobs {
  /** Alerts FireFighter sent, in order. */
  alerts: SlackAlertRecord[];
  /** The next `count` alerts fail (after letting `after` succeed), as when Slack or the watcher lookup errors. */
  failNext(count: number, options?: { after?: number }): void;
  clear(): void;
}

/** FireFighter's Slack, as far as the JIRA webhook uses it. */
export class SlackAlerts implements SlackKnobs {
  readonly alerts: SlackAlertRecord[] = [];
  private passThrough = 0;
  private failures = 0;

  failNext(count: number, options: { after?: number } = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failure count must be a positive integer, got ${count}`);
    this.failures = count;
    this.passThrough = options.after ?? 0;
  }

  clear(): void {
    this.failures = 0;
    this.passThrough = 0;
  }

  /** false when the alert failed; FireFighter then raises SlackNotificationError (HTTP 500). */
  send(alert: SlackAlertRecord): boolean {
    if (this.failures > 0 && this.passThrough === 0) {
      this.failures--;
      return false;
    }
    if (this.failures > 0) this.passThrough--;
    this.alerts.push(alert);
    return true;
  }
}
