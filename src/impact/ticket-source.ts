import type { ImpactStatus } from './incident.js';

/** What a new ticket is made from: an incident as FireFighter's retrieve serves it (with its tags, which its list drops). */
export interface TicketSource {
  id: number;
  title: string;
  description: string;
  status: ImpactStatus;
  /** `priority.value`, 1..5; null without a priority. */
  priority: number | null;
  /** `priority.name` and `priority.emoji`, for the P1-P3 description addendum (`⛈️ Priority: P2`). */
  priorityName: string | null;
  priorityEmoji: string | null;
  /** `environment.value`, e.g. `PRD`. */
  environment: string | null;
  category: string | null;
  tags: string[];
  statusPageUrl: string;
  createdAt: string;
  jiraTicketKey: string | null;
}
