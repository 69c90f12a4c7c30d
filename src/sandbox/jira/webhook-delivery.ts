import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JiraMode } from './auth.js';
import { renderIssue, renderUser } from './render.js';
import type { ChangeHistory, EmulatedIssue, JiraStore } from './store.js';

/** A registered `jira:issue_updated` webhook: where JIRA posts and the secret it signs with. */
export interface WebhookRegistration {
  url: string;
  secret: string;
  /** How long after a change its delivery leaves (default 10 ms). */
  delayMs?: number;
}

/** One change JIRA had to announce, and what became of it. */
export interface DeliveryRecord {
  key: string;
  historyId: string;
  authorAccountId: string;
  /** The exact bytes posted (or that would have been, when dropped). */
  body: string;
  /** The receiver's HTTP status; 'dropped' by the knob; 'failed' when no answer came. */
  outcome: number | 'dropped' | 'failed';
}

export interface WebhookKnobs {
  /** Registers the receiver, as an admin does in JIRA's webhook settings; until then nothing is delivered. */
  register(registration: WebhookRegistration): void;
  /** Loses deliveries: the next `count` changes, or every one from now on ('all'). */
  drop(count: number | 'all'): void;
  /** Stops losing deliveries (undoes `drop`). */
  resume(): void;
  /** Every change recorded since the registration, in the order JIRA recorded them. */
  deliveries: DeliveryRecord[];
  /** Resolves once every change recorded so far has been delivered or dropped. */
  settled(): Promise<void>;
}

/** JIRA's webhook sender: each recorded change leaves shortly after, signed, one issue's changes never overtaking each other. */
export class WebhookDelivery implements WebhookKnobs {
  readonly deliveries: DeliveryRecord[] = [];
  private registration: WebhookRegistration | undefined;
  private dropRemaining = 0;
  private dropEverything = false;
  // One chain for all issues: order per issue holds, and so does the global order JIRA recorded.
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly store: JiraStore,
    private readonly mode: JiraMode,
    private readonly baseUrl: () => string,
  ) {}

  register(registration: WebhookRegistration): void {
    this.registration = registration;
  }

  drop(count: number | 'all'): void {
    if (count === 'all') {
      this.dropEverything = true;
      return;
    }
    if (!Number.isInteger(count) || count < 1) throw new Error(`drop count must be a positive integer, got ${count}`);
    this.dropRemaining += count;
  }

  resume(): void {
    this.dropEverything = false;
    this.dropRemaining = 0;
  }

  async settled(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /** Called by the store as it records a change: the body is rendered now, as the issue stands after it. */
  changed(issue: EmulatedIssue, history: ChangeHistory): void {
    const registration = this.registration;
    if (!registration) return;
    const record: DeliveryRecord = {
      key: issue.key,
      historyId: history.id,
      authorAccountId: history.authorAccountId,
      body: JSON.stringify(this.payload(issue, history)),
      outcome: 'dropped',
    };
    this.deliveries.push(record);
    if (this.dropEverything) return;
    if (this.dropRemaining > 0) {
      this.dropRemaining--;
      return;
    }
    this.pending++;
    this.queue = this.queue
      .then(async () => {
        await sleep(registration.delayMs ?? 10);
        record.outcome = await post(registration, record.body);
      })
      .finally(() => {
        this.pending--;
      });
  }

  /** The body JIRA posts for `jira:issue_updated`: the event, its author, the issue after the change, the changelog entry. */
  private payload(issue: EmulatedIssue, history: ChangeHistory): Record<string, unknown> {
    const author = this.store.userByAccountId(history.authorAccountId);
    if (!author) throw new Error(`webhook: no user ${history.authorAccountId}`);
    const target = { baseUrl: this.baseUrl(), apiVersion: 2 as const, mode: this.mode, viewer: author, store: this.store };
    return {
      timestamp: history.created,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: history.items.some((item) => item.field === 'status') ? 'issue_generic' : 'issue_updated',
      user: renderUser(target, author),
      issue: renderIssue(target, issue, () => true),
      changelog: { id: history.id, items: history.items.map((item) => ({ ...item })) },
    };
  }
}

/** POSTs the body signed as FireFighter verifies it: `X-Hub-Signature: sha256=<hex HMAC of the raw body>`. */
async function post(registration: WebhookRegistration, body: string): Promise<number | 'failed'> {
  const signature = `sha256=${createHmac('sha256', Buffer.from(registration.secret, 'utf8')).update(body).digest('hex')}`;
  try {
    const response = await fetch(registration.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': signature, 'User-Agent': 'Atlassian Webhook HTTP Client' },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'failed';
  }
}
