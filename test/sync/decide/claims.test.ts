import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/impact/incident.js';
import { soleClaims } from '../../../src/sync/decide/claims.js';

const incident = (id: number, jiraTicketKey: string | null): Incident => ({
  id,
  title: `Incident ${id}`,
  description: '',
  status: 'Investigating',
  priority: 3,
  commanderEmail: null,
  jiraTicketKey,
  createdAt: '2026-11-01T09:00:00+01:00',
  environment: 'PRD',
  category: null,
  statusPageUrl: `https://firefighter.example/incident/${id}/`,
  ignore: false,
});

describe('one ticket, one incident', () => {
  it('keeps, in list order, the incidents that alone name their ticket', () => {
    const claims = soleClaims([incident(3, 'INC-3'), incident(1, null), incident(2, 'INC-2')]);
    expect(claims.sole.map((i) => i.id)).toEqual([3, 1, 2]);
    expect(claims.errors).toEqual([]);
  });

  it('writes none of the incidents that share a ticket, and names all of them to each', () => {
    const claims = soleClaims([incident(9, 'INC-7'), incident(1, 'INC-1'), incident(7, 'INC-7'), incident(8, 'INC-7')]);
    expect(claims.sole.map((i) => i.id)).toEqual([1]);
    expect(claims.errors.map((e) => [e.incident, e.message])).toEqual([
      [9, 'INC-7 is named by incidents 7, 8 and 9: none is synced until one of them lets go'],
      [7, 'INC-7 is named by incidents 7, 8 and 9: none is synced until one of them lets go'],
      [8, 'INC-7 is named by incidents 7, 8 and 9: none is synced until one of them lets go'],
    ]);
  });

  it('reports an incident listed twice once, with the tickets each listing names', () => {
    const claims = soleClaims([incident(4, 'INC-4'), incident(5, 'INC-5'), incident(4, 'INC-40')]);
    expect(claims.sole.map((i) => i.id)).toEqual([5]);
    expect(claims.errors).toEqual([
      { incident: 4, issue: 'INC-4', message: 'incident 4 is listed 2 times by FireFighter (naming INC-4 and INC-40): not synced until it is listed once', category: 'validation' },
    ]);
  });
});
