import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureRetries } from '../../../src/net/retry.js';
import { ServiceError } from '../../../src/net/errors.js';
import { writeUntilLanded } from '../../../src/sync/act/verified-write.js';

const lost = () => new ServiceError({ service: 'jira', endpoint: 'PUT /rest/api/2/issue/INC-7', status: 502 });
const refused = () => new ServiceError({ service: 'jira', endpoint: 'PUT /rest/api/2/issue/INC-7', status: 400 });

describe('writeUntilLanded', () => {
  beforeAll(() => configureRetries({ baseDelayMs: 1, maxDelayMs: 1 }));
  afterAll(() => configureRetries({}));

  it('after an answer lost, re-reads and resends only what has not landed', async () => {
    const sends: string[][] = [];
    const rereads: string[][] = [];
    await writeUntilLanded(
      ['summary', 'priority'],
      async (pending) => {
        sends.push([...pending]);
        if (sends.length === 1) throw lost();
      },
      async (sent) => {
        rereads.push([...sent]);
        return ['priority'];
      },
    );
    expect({ sends, rereads }).toEqual({ sends: [['summary', 'priority'], ['priority']], rereads: [['summary', 'priority']] });
  });

  it('sends nothing again when the re-read shows the write landed', async () => {
    let sends = 0;
    await writeUntilLanded(
      ['status'],
      async () => {
        sends += 1;
        throw lost();
      },
      async () => [],
    );
    expect(sends).toBe(1);
  });

  it('rethrows a refusal without re-reading: it certainly changed nothing', async () => {
    let rereads = 0;
    const error = refused();
    const write = writeUntilLanded(['status'], () => Promise.reject(error), async (sent) => {
      rereads += 1;
      return [...sent];
    });
    await expect(write).rejects.toBe(error);
    expect(rereads).toBe(0);
  });

  it('gives up after three sends whose answers are all lost, with the last error', async () => {
    let sends = 0;
    const write = writeUntilLanded(
      ['status'],
      async () => {
        sends += 1;
        throw lost();
      },
      async (sent) => [...sent],
    );
    await expect(write).rejects.toThrow(/returned 502/);
    expect(sends).toBe(3);
  });

  it('a re-read that fails reports the write\'s own error', async () => {
    const error = lost();
    const write = writeUntilLanded(['status'], () => Promise.reject(error), () => Promise.reject(new Error('read failed')));
    await expect(write).rejects.toBe(error);
  });
});
