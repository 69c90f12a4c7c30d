import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/impact/incident.js';
import type { JiraClient } from '../../src/jira/client.js';
import type { JiraIssue } from '../../src/jira/issue.js';
import { readPairs, type PairChunk, type World } from '../../src/sync/read.js';

function incident(id: number): Incident {
  return { id, jiraTicketKey: `INC-${id}` } as Incident;
}

function issue(key: string): JiraIssue {
  return { id: key.slice(4), key, updated: '2026-12-01T10:00:00.000+0000' } as JiraIssue;
}

function world(ids: number[]): World {
  return { toRead: ids.map(incident), known: new Map(), written: new Map() } as unknown as World;
}

/** A JIRA whose searches answer every key, failing the `failing`th search; it keeps the keys each search was asked. */
function jira(failing?: number) {
  const searches: string[][] = [];
  const client = {
    getIssuesByKeys: async (keys: string[]) => {
      searches.push(keys);
      if (searches.length === failing) throw new Error('JIRA answered 503');
      return keys.map(issue);
    },
  };
  return { searches, client: client as unknown as JiraClient };
}

describe('readPairs', () => {
  it('has the next slice searched while the caller still holds the one it was given, one slice ahead at most', async () => {
    const { searches, client } = jira();
    const slices = readPairs(client, world([1, 2, 3, 4, 5]), 2);
    const first = (await slices.next()).value as PairChunk;
    expect(first.pairs.map((pair) => pair.issue.key)).toEqual(['INC-1', 'INC-2']);
    expect(searches).toEqual([['INC-1', 'INC-2'], ['INC-3', 'INC-4']]);
    const rest = [];
    for await (const chunk of slices) rest.push(chunk.pairs.map((pair) => pair.incident.id));
    expect(rest).toEqual([[3, 4], [5]]);
    expect(searches).toHaveLength(3);
  });

  it("gives a failed read-ahead's error to a caller that reaches that slice", async () => {
    const { client } = jira(2);
    const slices = readPairs(client, world([1, 2, 3]), 2);
    expect(((await slices.next()).value as PairChunk).pairs).toHaveLength(2);
    await expect(slices.next()).rejects.toThrow('JIRA answered 503');
  });

  it('lets a caller stop early without the read-ahead failing unheard', async () => {
    const { searches, client } = jira(2);
    for await (const chunk of readPairs(client, world([1, 2, 3]), 2)) {
      expect(chunk.pairs).toHaveLength(2);
      break;
    }
    // An unhandled rejection would fail this file; give it the turn it would surface in.
    await new Promise((resolve) => setImmediate(resolve));
    expect(searches).toHaveLength(2);
  });
});
