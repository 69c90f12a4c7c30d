import { describe, expect, it } from 'vitest';
import type { JiraClient } from '../../src/jira/client.js';
import { ServiceError } from '../../src/net/errors.js';
import { changesJql, MAX_SKIPPED_WRITES, searchChanges, writesToSkip } from '../../src/sync/changes-search.js';
import type { WrittenIssue } from '../../src/state/written-issues.js';

const write = (n: number, leftUpdated: string, own = true): WrittenIssue => ({
  issueId: String(10_000 + n),
  issueKey: `INC-${n}`,
  leftUpdated,
  own,
  writtenAt: new Date(leftUpdated),
});

describe('the search for JIRA changes', () => {
  it('names each own write with the millisecond its write left, so a later edit of the issue still matches', () => {
    const jql = changesJql('INC', 1_796_172_000_000, [write(7, '2026-12-02T00:50:23.123Z')]);
    expect(jql).toBe('project = "INC" AND updated >= 1796172000000 AND NOT (key = "INC-7" AND updated <= 1796172623123) ORDER BY updated ASC, key ASC');
  });

  it('without writes it is the plain query', () => {
    expect(changesJql('A B', 5, [])).toBe('project = "A B" AND updated >= 5 ORDER BY updated ASC, key ASC');
  });

  it('skips only writes that left the issue as raidsync wrote it and that the window reaches, the latest first', () => {
    const since = Date.parse('2026-12-02T00:00:00.000Z');
    const written = new Map(
      [write(1, '2026-12-01T23:59:59.999Z'), write(2, '2026-12-02T00:00:00.000Z'), write(3, '2026-12-02T00:10:00.000Z', false), write(4, '2026-12-02T00:20:00.000Z')].map((w) => [w.issueId, w]),
    );
    expect(writesToSkip(written, since).map((w) => w.issueKey)).toEqual(['INC-4', 'INC-2']);
  });

  it(`names at most ${MAX_SKIPPED_WRITES} writes`, () => {
    const written = new Map(Array.from({ length: MAX_SKIPPED_WRITES + 3 }, (_, i) => write(i + 1, new Date(1_000_000 + i).toISOString())).map((w) => [w.issueId, w]));
    const skipped = writesToSkip(written, 0);
    expect(skipped).toHaveLength(MAX_SKIPPED_WRITES);
    expect(skipped[0]!.issueKey).toBe(`INC-${MAX_SKIPPED_WRITES + 3}`);
  });

  it('refuses a key that could change the query', () => {
    expect(() => changesJql('INC', 0, [{ ...write(1, '2026-12-02T00:00:00.000Z'), issueKey: 'INC-1" OR project = "X' }])).toThrow();
  });
});

/** A JIRA whose search answers `answer(jql)`, recording every query. */
function jiraAnswering(answer: (jql: string) => void) {
  const asked: string[] = [];
  const jira = {
    search: async (jql: string) => {
      asked.push(jql);
      answer(jql);
      return [];
    },
  } as unknown as JiraClient;
  return { jira, asked };
}

const refused = (detail: string, status = 400) => new ServiceError({ service: 'jira', endpoint: 'GET /rest/api/2/search/jql', status, detail });

describe('searching JIRA changes when JIRA refuses the query', () => {
  const written = new Map([write(3, '2026-12-02T00:10:00.000Z'), write(4, '2026-12-02T00:20:00.000Z')].map((w) => [w.issueId, w]));
  const since = Date.parse('2026-12-02T00:00:00.000Z');

  it('drops a skipped issue JIRA no longer knows (deleted, moved) and asks again with the others', async () => {
    const { jira, asked } = jiraAnswering((jql) => {
      if (jql.includes('"INC-3"')) throw refused("An issue with key 'INC-3' does not exist for field 'key'.");
    });
    await searchChanges(jira, 'INC', since, written, {});
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBe(changesJql('INC', since, [write(4, '2026-12-02T00:20:00.000Z')]));
  });

  it('asks the plain query of a JIRA that refuses the narrowed one for another reason', async () => {
    const { jira, asked } = jiraAnswering((jql) => {
      if (jql.includes('NOT')) throw refused("Error in the JQL Query: 'NOT' is a reserved JQL word.");
    });
    await searchChanges(jira, 'INC', since, written, {});
    expect(asked.at(-1)).toBe(changesJql('INC', since, []));
  });

  it('lets any other failure through', async () => {
    const { jira } = jiraAnswering(() => {
      throw refused('Internal server error', 500);
    });
    await expect(searchChanges(jira, 'INC', since, written, {})).rejects.toThrow(ServiceError);
  });
});
