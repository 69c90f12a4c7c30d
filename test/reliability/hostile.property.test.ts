import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { startWorld, type CliResult, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 2, maxTotalWaitMs: 10 });

const CONTRACT_CODES = [0, 1, 2, 3, 4, 5];
const LIST = '/api/v2/firefighter/incidents/';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** What a person sees: one line per problem, never a stack trace or an uncaught exception. */
function expectCleanFailure(result: CliResult) {
  expect(CONTRACT_CODES).toContain(result.exitCode);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/(TypeError|ReferenceError|SyntaxError|RangeError|Uncaught)/);
}

async function incidentList(): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${world.sandbox.impact.url}${LIST}?order_by=id`, { headers: { Authorization: `Bearer ${SANDBOX_CREDENTIALS.impactToken}` } });
  return (await response.json()) as Array<Record<string, unknown>>;
}

/** Ways to break one incident record that FireFighter's serializer would never produce. */
const corruption = fc.constantFrom<Array<(record: Record<string, unknown>) => void>>(
  (r) => delete r.status,
  (r) => (r.status = 'Bogus'),
  (r) => (r.priority = { value: 'high' }),
  (r) => (r.title = 42),
  (r) => (r.roles = null),
  (r) => (r.created_at = 'yesterday'),
  (r) => (r.description = ['not', 'text']),
  (r) => (r.jira_ticket_key = 'INC-1) OR project = SECRET'),
  (r) => (r.jira_ticket_key = 7),
);

describe('hostile responses and configs (property)', () => {
  it('a FireFighter list with corrupted records: exit 4, no stack trace, no write for a corrupted record', async () => {
    const valid = await incidentList();
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.nat({ max: valid.length - 1 }), { minLength: 1, maxLength: 4 }), corruption, async (victims, corrupt) => {
        const served = structuredClone(valid);
        const corrupted = new Set<string>();
        for (const index of victims) {
          const record = served[index] as Record<string, unknown>;
          if (typeof record.jira_ticket_key === 'string') corrupted.add(record.jira_ticket_key);
          corrupt(record);
        }
        const before = world.sandbox.jira.writes.length;
        world.sandbox.impact.faults.clear();
        world.sandbox.impact.faults.next(1, { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(served), matcher: { method: 'GET', path: LIST } });
        const result = await world.run('reconcile', '--json');
        expectCleanFailure(result);
        // A corrupted record fails only its own pair (exit 4), as a ticket key that is not a key does; the others sync.
        expect(result.exitCode).toBe(4);
        const written = world.sandbox.jira.writes.slice(before).map((write) => write.key);
        expect(written.filter((key) => corrupted.has(key))).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('random bodies in place of FireFighter and JIRA answers: contract exit codes, no stack trace, nothing written', async () => {
    const body = fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value).slice(0, -1)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, jiraSide) => {
        const before = world.sandbox.jira.writes.length + world.sandbox.impact.webhooks.length;
        world.sandbox.impact.faults.clear();
        world.sandbox.jira.faults.clear();
        const canned = { status: 200, headers: { 'Content-Type': 'application/json' }, body: text };
        if (jiraSide) world.sandbox.jira.faults.next(1, { ...canned, matcher: { method: 'GET', pathPrefix: '/rest/api/2/search' } });
        else world.sandbox.impact.faults.next(1, { ...canned, matcher: { method: 'GET', path: LIST } });
        const result = await world.run('reconcile', '--json');
        expectCleanFailure(result);
        expect(world.sandbox.jira.writes.length + world.sandbox.impact.webhooks.length).toBe(before);
      }),
      { numRuns: 20 },
    );
  });

  it('random config files: contract exit codes and one clear line, never a stack trace', async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    const config = fc.record(
      {
        jira: fc.record({ timeoutSeconds: value, deployment: value, project: value, transitionFields: value }, { requiredKeys: [] }),
        impact: fc.record({ url: value, timeoutSeconds: value }, { requiredKeys: [] }),
        maps: fc.record({ preset: value, priorityField: value, users: value }, { requiredKeys: [] }),
        sync: fc.record({ fields: value, conflict: value, minPairsRatio: value, loopWindowSeconds: value }, { requiredKeys: [] }),
        unknownKey: value,
      },
      { requiredKeys: [] },
    );
    const file = join(world.cwd, 'hostile.yaml');
    await fc.assert(
      fc.asyncProperty(fc.oneof(config.map((c) => JSON.stringify(c)), fc.string()), async (text) => {
        writeFileSync(file, text);
        const result = await world.run('diff', '--config', file, '--json');
        expectCleanFailure(result);
        // One clear line, or (several problems reported at once) a heading and one indented line per problem.
        if (result.exitCode === 2) {
          const [first, ...rest] = result.stderr.trim().split('\n').filter((line) => !line.includes('warning: unknown config key'));
          expect(first).toMatch(/^raidsync: \S/);
          for (const line of rest) expect(line).toMatch(/^ {2}\S/);
          if (rest.length > 0) expect(first).toMatch(/:$/);
        }
      }),
      { numRuns: 30 },
    );
  });
});
