import type { Incident } from '../../src/impact/incident.js';
import type { JiraIssue } from '../../src/jira/issue.js';

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 42,
    title: 'Checkout API returns 500',
    description: 'Payments fail for 3% of orders.',
    status: 'Mitigating',
    priority: 2,
    commanderEmail: 'alice@acme.test',
    jiraTicketKey: 'INC-7',
    createdAt: '2026-11-20T10:00:00+01:00',
    environment: 'PRD',
    category: 'Payments',
    statusPageUrl: 'http://127.0.0.1/incident/42/',
    ignore: false,
    ...overrides,
  };
}

export function issue(overrides: Partial<JiraIssue> = {}): JiraIssue {
  return {
    id: '10007',
    key: 'INC-7',
    summary: 'Checkout API returns 500',
    description: 'Payments fail for 3% of orders.',
    status: 'In Progress',
    statusId: '3',
    priority: 'High',
    assignee: { accountId: 'acc-alice', name: 'alice', email: 'alice@acme.test', displayName: 'Alice Martin' },
    labels: [],
    created: '2026-11-20T09:00:00.000+0000',
    updated: '2026-11-20T09:00:00.000+0000',
    ...overrides,
  };
}
