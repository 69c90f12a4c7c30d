import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/impact/incident.js';
import { closingRequirements } from '../../../src/sync/decide/closing-rules.js';

const incident = (patch: Partial<Incident>): Incident => ({
  id: 1, title: 't', description: '', status: 'Mitigated', priority: 4, commanderEmail: null, jiraTicketKey: 'INC-1',
  createdAt: '2026-01-01T00:00:00Z', environment: 'PRD', category: null, statusPageUrl: '', ignore: false, ...patch,
});

describe('closingRequirements', () => {
  it('names the post-mortem rule for P1/P2 in PRD and the key-event rule for P1-P3', () => {
    expect(closingRequirements(incident({ priority: 2 }))).toEqual([
      'a P2 incident in PRD must be in Post-mortem, with a Ready JIRA post-mortem, before it closes',
      'a P2 incident needs all its required key events set',
    ]);
    expect(closingRequirements(incident({ priority: 2, environment: 'STG', status: 'Mitigating' }))).toEqual([
      'it must be Mitigated before it closes',
      'a P2 incident needs all its required key events set',
    ]);
  });

  it('asks nothing of a mitigated P4, or of an ignored incident', () => {
    expect(closingRequirements(incident({ priority: 4 }))).toEqual([]);
    expect(closingRequirements(incident({ priority: 1, status: 'Open', ignore: true }))).toEqual([]);
  });
});
