import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox.js';
import { startWorld, type JsonRun, type World } from '../support/cli.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

const LIST = '/api/v2/firefighter/incidents/';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** FireFighter's list as its serializer prints it, to be served altered once. */
async function servedList(w: World): Promise<Array<Record<string, any>>> {
  const response = await fetch(`${w.sandbox.impact.url}${LIST}?order_by=id`, { headers: { Authorization: `Bearer ${SANDBOX_CREDENTIALS.impactToken}` } });
  return (await response.json()) as Array<Record<string, any>>;
}

function serveOnce(w: World, records: unknown): void {
  w.sandbox.impact.faults.next(1, { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(records), matcher: { method: 'GET', path: LIST } });
}

describe('one odd FireFighter record fails only its own pair', () => {
  it('a commander with an empty email is blocked; the other pairs sync (exit 4)', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    const records = await servedList(w);
    const slackOnly = records.find((record) => record.id === 101)!;
    const assigneeBefore = w.sandbox.jira.issue(slackOnly.jira_ticket_key)!.assigneeAccountId;
    slackOnly.roles.commander.email = '';
    serveOnce(w, records);
    const result = await w.run('reconcile', '--json', '--fields', 'title,commander');
    expect(result.exitCode).toBe(4);
    const run = result.json<JsonRun>();
    expect(run.changes.find((change) => change.incident === 101 && change.field === 'commander')).toMatchObject({ outcome: 'blocked' });
    expect(run.changes.find((change) => change.incident === 102 && change.field === 'title')).toMatchObject({ outcome: 'applied' });
    expect(w.sandbox.jira.issue(slackOnly.jira_ticket_key)!.assigneeAccountId).toBe(assigneeBefore);
    expect(w.sandbox.jira.issue('INC-2')!.summary).toBe('Search latency spike (catalogue)');
    // Nobody was looked up for the empty email.
    expect(w.sandbox.jira.requests.filter((request) => request.path === '/rest/api/2/user/search' && request.query['query'] === '')).toEqual([]);
  });

  it('an invalid record is reported with its field and value (validation); the others sync (exit 4)', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    const records = await servedList(w);
    const odd = records.find((record) => record.id === 103)!;
    odd.priority = { value: 'high' };
    const oddTicket = odd.jira_ticket_key as string;
    serveOnce(w, records);
    const before = w.sandbox.jira.writes.length;
    const result = await w.run('reconcile', '--json');
    expect(result.exitCode).toBe(4);
    const run = result.json<JsonRun>();
    expect(run.errors).toContainEqual({
      incident: 103,
      issue: oddTicket,
      message: 'FireFighter sent an invalid incident 103: priority.value expected number, received string, got "high"',
    });
    expect(w.sandbox.jira.issue('INC-2')!.summary).toBe('Search latency spike (catalogue)');
    expect(w.sandbox.jira.writes.slice(before).map((write) => write.key)).not.toContain(oddTicket);
  });

  it('a body that is not a list still stops the run before any write (exit 3)', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    const text = JSON.stringify(await servedList(w));
    w.sandbox.impact.faults.next(1, { status: 200, headers: { 'Content-Type': 'application/json' }, body: text.slice(0, -30), matcher: { method: 'GET', path: LIST } });
    const result = await w.run('reconcile', '--json');
    expect(result.exitCode).toBe(3);
    expect(w.sandbox.jira.writes).toEqual([]);
  });
});

describe('JIRA rate-limit windows through a run', () => {
  it('a Retry-After: 2 window on edits: no edit inside it, and the run converges (exit 0)', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    w.sandbox.impact.update(103, { title: 'Third title, edited' });
    w.sandbox.jira.faults.rateLimitWindow(2, { matcher: { method: 'PUT' }, reason: 'jira-quota-tenant-based' });
    // Titles only: the fixture's other drift includes pairs blocked on purpose (exit 4).
    const result = await w.run('reconcile', '--json', '--fields', 'title');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const requests = w.sandbox.jira.requests;
    const first = requests.findIndex((request) => request.status === 429);
    const opened = requests[first]!.at;
    const later = requests.slice(first + 1);
    // Edits already in flight when the window opened are refused too; none is sent again inside the window.
    const refused = later.filter((request) => request.status === 429);
    expect(new Set(refused.map((request) => request.path)).size).toBe(refused.length);
    expect(refused.every((request) => request.at - opened < 1_000)).toBe(true);
    const answered = later.filter((request) => request.status !== 429);
    expect(answered.length).toBeGreaterThan(0);
    for (const request of answered) expect(request.at - opened, `${request.method} ${request.path}`).toBeGreaterThanOrEqual(1_990);
    for (const path of [requests[first]!.path, ...refused.map((request) => request.path)]) {
      expect(answered.some((request) => request.method === 'PUT' && request.path === path && request.status === 204), path).toBe(true);
    }
    expect(w.sandbox.jira.issue('INC-2')!.summary).toBe('Search latency spike (catalogue)');
    const again = await w.run('reconcile', '--json', '--fields', 'title');
    expect(again.exitCode).toBe(0);
    expect(again.json<JsonRun>().changes.filter((change) => change.outcome === 'applied')).toEqual([]);
  });

  it('a window beyond net.maxRetryWaitSeconds fails that edit as rate_limit, saying how long JIRA asked (exit 4)', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(102, { title: 'Search latency spike (catalogue)' });
    writeFileSync(join(w.cwd, 'raidsync.config.yaml'), 'net:\n  maxRetryWaitSeconds: 1\n');
    w.sandbox.jira.faults.rateLimitWindow(25, { matcher: { method: 'PUT' }, reason: 'jira-per-issue-on-write' });
    const result = await w.run('reconcile', '--json', '--fields', 'title', '-c', join(w.cwd, 'raidsync.config.yaml'));
    expect(result.exitCode, result.stdout + result.stderr).toBe(4);
    const change = result.json<JsonRun>().changes.find((candidate) => candidate.incident === 102 && candidate.field === 'title');
    expect(change).toMatchObject({ outcome: 'failed' });
    expect(change!.reason).toContain('JIRA asked to wait 25 s before retrying PUT /rest/api/2/issue/INC-2');
    expect(w.sandbox.jira.issue('INC-2')!.summary).not.toBe('Search latency spike (catalogue)');
    expect(w.sandbox.jira.requests.filter((request) => request.method === 'PUT' && request.path === '/rest/api/2/issue/INC-2')).toHaveLength(1);
  });
});
