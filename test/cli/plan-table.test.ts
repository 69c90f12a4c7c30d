import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderPlanTable, type PairHeading, type TableOptions } from '../../src/cli/render/plan-table.js';
import type { FieldChange, Plan } from '../../src/sync/decide/plan.js';

const LONG = `Checkout latency above 4s for card payments in the EU region. ${'Retries from the payment gateway pile up and saturate the worker pool. '.repeat(8)}END-OF-TEXT`;

function change(incident: number, issue: string, overrides: Partial<FieldChange>): FieldChange {
  return {
    incident,
    issue,
    field: 'status',
    direction: 'impact_to_jira',
    from: 'In Progress',
    to: 'Resolved',
    outcome: 'planned',
    reason: 'impact changed since last sync (In Progress → Mitigated)',
    target: 'Resolved',
    expected: { impact: 'Mitigated', jira: 'In Progress' },
    shown: { impact: 'Mitigated', jira: 'In Progress' },
    ...overrides,
  };
}

const headings = new Map<number, PairHeading>([
  [101, { incident: 101, issue: 'INC-1', priority: 1, title: 'Checkout latency above 4s for card payments', issueUrl: 'https://acme.atlassian.net/browse/INC-1', incidentUrl: 'https://ff.acme.example/incident/101' }],
  [102, { incident: 102, issue: 'INC-2', priority: 3, title: 'Search results stale'.padEnd(250, '.') }],
  [103, { incident: 103, issue: 'INC-3', priority: 2, title: 'Payment webhook retries pile up' }],
]);

function plan(changes: FieldChange[], errors: Plan['errors'] = []): Plan {
  return { command: 'reconcile', pairs: 120, changes, agreed: [], errors };
}

const drift = plan([
  change(101, 'INC-1', { field: 'description', shown: { impact: LONG, jira: 'short' }, reason: 'impact changed since last sync (description)' }),
  change(101, 'INC-1', { field: 'priority', shown: { impact: 'P1', jira: 'High' } }),
  change(102, 'INC-2', { field: 'status', direction: 'jira_to_impact', shown: { impact: 'Investigating', jira: 'In Progress' }, reason: 'jira changed since last sync (bob: Open → In Progress)' }),
  change(103, 'INC-3', { field: 'priority', outcome: 'conflict', shown: { impact: 'P2', jira: 'Low' }, reason: 'conflict: both changed since last sync; conflict policy skip' }),
]);

const plain: Omit<TableOptions, 'columns'> = { style: new Chalk({ level: 0 }), headings, hyperlinks: false, wrote: false };

describe('drift tables', () => {
  for (const columns of [80, 200]) {
    it(`fit ${columns} columns: one block per pair headed by incident, priority, title and ticket, and a summary`, () => {
      const text = renderPlanTable(drift, { ...plain, columns });
      const lines = text.trimEnd().split('\n');
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
      expect(text).not.toMatch(/\u001b/);
      expect(lines.filter((line) => /^#\d+ P\d /.test(line))).toEqual([
        expect.stringMatching(/^#101 P1 Checkout latency above 4s for card payments ⇄ INC-1$/),
        expect.stringMatching(/^#102 P3 Search results stale\.+… ⇄ INC-2$/),
        expect.stringMatching(/^#103 P2 Payment webhook retries pile up ⇄ INC-3$/),
      ]);
      expect(text).toContain('┌');
      expect(text).toMatch(/│ field +│ Impact +│ JIRA +│ action +│/);
      expect(text).toContain('← Impact');
      expect(text).toContain('conflict');
      // The long description is cut, whatever the width: never the whole value, never its end.
      expect(text).toContain('Checkout latency');
      expect(text).not.toContain('END-OF-TEXT');
      expect(text).toContain('…');
      expect(lines.at(-1)).toBe('3 of 120 pairs drift: 2 changes → JIRA, 1 ← Impact, 1 conflict');
    });
  }

  it('show more of a long value on a wide terminal than on a narrow one', () => {
    const shown = (columns: number) => renderPlanTable(drift, { ...plain, columns }).match(/Retries/g)?.length ?? 0;
    expect(shown(200)).toBeGreaterThan(shown(80));
  });

  it('after a writing run: outcomes per change, blocked and failed with their reasons, each change counted once', () => {
    const wrote = plan(
      [
        change(101, 'INC-1', { field: 'priority', outcome: 'applied' }),
        change(101, 'INC-1', { field: 'title', outcome: 'applied' }),
        change(102, 'INC-2', { direction: 'jira_to_impact', outcome: 'applied' }),
        change(103, 'INC-3', { outcome: 'blocked', reason: 'no transition from "Resolved" to "In Progress" is offered for INC-3' }),
        change(103, 'INC-3', { field: 'commander', outcome: 'failed', reason: 'JIRA returned 400 for PUT /rest/api/2/issue/INC-3' }),
      ],
      [{ incident: 104, issue: 'INC-404', message: 'JIRA has no issue INC-404' }],
    );
    const text = renderPlanTable(wrote, { ...plain, columns: 100, wrote: true });
    expect(text).toContain('→ JIRA ✓');
    expect(text).toContain('← Impact ✓');
    expect(text).toMatch(/→ JIRA blocked[\s\S]*no transition from/);
    expect(text).toMatch(/→ JIRA failed[\s\S]*JIRA returned 400/);
    expect(text).toContain('✗ #104 INC-404: JIRA has no issue INC-404');
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 of 120 pairs drifted: 2 applied → JIRA, 1 applied ← Impact, 1 blocked, 1 failed, 1 error');
  });

  it('say so when every pair is in sync', () => {
    expect(renderPlanTable(plan([]), { ...plain, columns: 80 })).toBe('120 pairs, all in sync\n');
  });

  it('colour and link the ticket and the incident when the terminal can', () => {
    const text = renderPlanTable(drift, { ...plain, style: new Chalk({ level: 1 }), hyperlinks: true, columns: 120 });
    expect(text).toMatch(/\u001b\[\d+m/);
    expect(text).toContain('\u001b]8;;https://acme.atlassian.net/browse/INC-1\u0007INC-1\u001b]8;;\u0007');
    expect(text).toContain('\u001b]8;;https://ff.acme.example/incident/101\u0007#101\u001b]8;;\u0007');
  });

  it('head a big run with a table per field, direction and outcome, counting each change once', () => {
    const many = plan(
      Array.from({ length: 12 }, (_, index) =>
        change(200 + index, `INC-${200 + index}`, index < 7 ? { outcome: 'applied' } : index < 10 ? { field: 'priority', direction: 'jira_to_impact', outcome: 'applied' } : { outcome: 'blocked', reason: 'closing rules' }),
      ),
    );
    const text = renderPlanTable(many, { ...plain, columns: 80, wrote: true });
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^│ field +│ direction +│ applied +│ blocked +│ total +│$/);
    expect(text).toMatch(/│ status +│ → JIRA +│ 7 +│ 2 +│ 9 +│/);
    expect(text).toMatch(/│ priority +│ ← Impact +│ 3 +│ 0 +│ 3 +│/);
    // Above the blocks: the first pair heading comes after the overview.
    expect(text.indexOf('#200 ')).toBeGreaterThan(text.indexOf('total'));
    expect(renderPlanTable(drift, { ...plain, columns: 80 })).not.toContain('direction');
  });

  it('without a width (a pipe, no $COLUMNS): cells unwrapped, a long value still cut', () => {
    const text = renderPlanTable(drift, { ...plain, columns: undefined });
    expect(text).toMatch(/│ jira changed since last sync \(bob: Open → In Progress\) +│/);
    expect(text).toMatch(/^#102 P3 Search results stale\.{200,} ⇄ INC-2$/m);
    expect(text).not.toContain('END-OF-TEXT');
  });

  it('only problems with problemsOnly; a problem reported before is one "still" line', () => {
    const wrote = plan([
      change(101, 'INC-1', { outcome: 'applied' }),
      change(103, 'INC-3', { outcome: 'blocked', reason: 'no transition to "In Progress"' }),
      change(104, 'INC-4', { field: 'priority', outcome: 'failed', reason: 'JIRA returned 400' }),
    ]);
    const stillSince = new Map([[wrote.changes[1] as FieldChange, 17]]);
    const text = renderPlanTable(wrote, { ...plain, columns: 100, wrote: true, problemsOnly: true, stillSince });
    expect(text).not.toContain('#101');
    expect(text).not.toMatch(/^#103 /m);
    expect(text).toContain('still blocked since run 17: #103 INC-3 status: no transition to "In Progress"');
    expect(text).toMatch(/#104[\s\S]*→ JIRA failed/);
  });
});

