import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import type { TicketSource } from '../../../src/impact/ticket-source.js';
import { SEED_MAPS } from '../../../src/sync/decide/maps/seed.js';
import { stampLabel } from '../../../src/sync/decide/ticket-fields.js';
import { decideTickets } from '../../../src/sync/decide/tickets.js';

const settings = configSchema.shape.create.parse(undefined);
const source: TicketSource = {
  id: 42,
  title: 'Checkout down',
  description: 'Errors since the deploy.',
  status: 'Investigating',
  priority: 2,
  priorityName: 'P2',
  priorityEmoji: '⛈️',
  environment: 'PRD',
  category: null,
  tags: [],
  statusPageUrl: 'https://firefighter.test/incident/42/',
  createdAt: '2026-11-30T10:00:00Z',
  jiraTicketKey: null,
};
const stamped = new Map([[stampLabel(42), { id: '10007', key: 'INC-7' }]]);
const input = { sources: [source], stamped, unsettled: [], settings, project: 'INC', maps: SEED_MAPS };

describe('stamp adoption', () => {
  it('adopts a stamped ticket no other incident has', () => {
    expect(decideTickets({ ...input, paired: new Map() })[0]).toMatchObject({ kind: 'adopt', existing: { key: 'INC-7' } });
    expect(decideTickets({ ...input, paired: new Map([['INC-7', 42]]) })[0]).toMatchObject({ kind: 'adopt' });
  });

  it('refuses a stamped ticket already paired with another incident: blocked, nothing created', () => {
    const [decision] = decideTickets({ ...input, paired: new Map([['INC-7', 57]]) });
    expect(decision).toMatchObject({ kind: 'refuse', planned: { incident: 42, issue: 'INC-7', outcome: 'blocked' } });
    expect(decision?.planned.reason).toContain("already incident 57's ticket: not adopted (one ticket, one incident), nothing created");
  });
});
