import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureRetries } from '../../src/net/retry.js';
import type { JiraSeed } from '../../src/sandbox/jira/seed.js';
import { startWorld, type World, type JsonChange } from '../support/cli.js';
import { fixtureSeed } from '../jira/harness.js';

configureRetries({ baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 50 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const BOB = '5b10ac8d82e05b22cc7d4e02';
const DAVE = '5b10ac8d82e05b22cc7d4e04';

/** The fixture plus users a prefix search confuses with Bob, and two accounts sharing Carol's email. */
function crowdedDirectory(): JiraSeed {
  const seed = fixtureSeed();
  const user = (accountId: string, name: string, displayName: string, email: string) => ({
    accountId, name, displayName, email, emailVisible: true, apiToken: `${name}-token`, pat: `${name}-pat`, active: true,
  });
  seed.users.push(
    user('5b10ac8d82e05b22cc7d4e10', 'bobby', 'Bobby Tables', 'bob@acme.test.example'),
    user('5b10ac8d82e05b22cc7d4e11', 'bob.contractor', 'Bob Contractor', 'bob@acme.testing.io'),
    user('5b10ac8d82e05b22cc7d4e12', 'carol2', 'Carol Diaz (admin)', 'Carol@acme.test'),
  );
  return seed;
}

async function reconcileCommander(w: World, incident: number, config = '') {
  writeFileSync(join(w.cwd, 'raidsync.config.yaml'), config);
  const result = await w.run('reconcile', '--json', '-c', join(w.cwd, 'raidsync.config.yaml'), '--incident', String(incident), '--fields', 'commander');
  return { exitCode: result.exitCode, change: result.json<{ changes: JsonChange[] }>().changes.find((c) => c.field === 'commander') };
}

describe.each(['cloud', 'datacenter'] as const)('commander → assignee by email (%s)', (mode) => {
  it('picks the one user whose email is exactly the commander\'s among prefix matches', async () => {
    const w = (world = await startWorld({ mode, jiraSeed: crowdedDirectory() }));
    w.sandbox.impact.update(105, { commanderEmail: 'bob@acme.test' });
    const run = await reconcileCommander(w, 105);
    expect(run.change?.outcome).toBe('applied');
    expect(w.sandbox.jira.issue('INC-5')?.assigneeAccountId).toBe(BOB);
    const search = w.sandbox.jira.requests.find((request) => request.path === '/rest/api/2/user/search');
    expect(search?.query).toEqual(mode === 'cloud' ? { query: 'bob@acme.test' } : { username: 'bob@acme.test' });
  });

  it('blocks when two accounts share the email, and assigns no one', async () => {
    const w = (world = await startWorld({ mode, jiraSeed: crowdedDirectory() }));
    w.sandbox.impact.update(105, { commanderEmail: 'carol@acme.test' });
    const run = await reconcileCommander(w, 105);
    expect(run.exitCode).toBe(4);
    expect(run.change).toMatchObject({ outcome: 'blocked', reason: '2 JIRA users have the email carol@acme.test; map the right one in maps.users' });
    expect(w.sandbox.jira.issue('INC-5')?.assigneeAccountId).toBeNull();
  });

  it('unassigns when the incident has no commander', async () => {
    const w = (world = await startWorld({ mode }));
    w.sandbox.impact.update(101, { commanderEmail: null });
    const run = await reconcileCommander(w, 101);
    expect(run.change?.outcome).toBe('applied');
    expect(w.sandbox.jira.issue('INC-1')?.assigneeAccountId).toBeNull();
  });
});

describe('commander whose email JIRA Cloud hides', () => {
  it('is blocked with the way out, and assigned once mapped by hand in maps.users', async () => {
    const w = (world = await startWorld());
    w.sandbox.impact.update(105, { commanderEmail: 'dave@acme.test' });
    const blocked = await reconcileCommander(w, 105);
    expect(blocked.change).toMatchObject({ outcome: 'blocked', reason: 'no JIRA user has the email dave@acme.test (if JIRA hides it, map it in maps.users)' });
    expect(w.sandbox.jira.issue('INC-5')?.assigneeAccountId).toBeNull();

    const mapped = await reconcileCommander(w, 105, `maps:\n  users:\n    dave@acme.test: ${DAVE}\n`);
    expect(mapped.change?.outcome).toBe('applied');
    expect(w.sandbox.jira.issue('INC-5')?.assigneeAccountId).toBe(DAVE);
  });
});

describe('title → summary', () => {
  it('sends a multi-line title as one line JIRA accepts, once: no 400, no rewrite on the next run', async () => {
    const w = (world = await startWorld());
    // FireFighter's longest title (128 characters), over three lines with CRLF and trailing blanks.
    const title = `Checkout API 500s  \r\nafter the 09:05 deploy\r\n${'and the retry queue keeps growing '.repeat(3)}`.slice(0, 128);
    w.sandbox.impact.update(105, { title });
    const first = await w.run('reconcile', '--json', '--incident', '105', '--fields', 'title');
    expect(first.exitCode).toBe(0);
    expect(first.json<{ changes: JsonChange[] }>().changes).toMatchObject([{ field: 'title', outcome: 'applied' }]);
    const summary = w.sandbox.jira.issue('INC-5')?.summary ?? '';
    expect(summary).toBe(title.replace(/\s*\r\n\s*/g, ' ').trim());
    expect(summary).not.toMatch(/[\r\n]/);
    expect(w.sandbox.jira.requests.filter((request) => request.status === 400)).toEqual([]);

    const second = await w.run('reconcile', '--json', '--incident', '105', '--fields', 'title');
    expect(second.json<{ changes: JsonChange[] }>().changes).toEqual([]);
    expect(w.sandbox.jira.writes.filter((write) => write.key === 'INC-5')).toHaveLength(1);
  });
});
