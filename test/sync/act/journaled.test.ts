import { describe, expect, it } from 'vitest';
import { NOT_SENT_INTERRUPTED } from '../../../src/sync/decide/plan.js';
import { journaled, NotSentError, type Journal } from '../../../src/sync/act/journaled.js';
import { ServiceError } from '../../../src/net/errors.js';

/** A journal in memory: what was begun, how each intent was settled, in order. */
function memoryJournal(interrupted = false) {
  const log: string[] = [];
  const journal: Journal = {
    begin: async (kind, subject) => {
      log.push(`begin ${kind} ${subject.incidentId}/${subject.issueKey}`);
      return log.length;
    },
    settle: async (intent, ok) => {
      log.push(`settle ${intent} ${ok ? 'done' : 'failed'}`);
    },
    interrupted: () => interrupted,
  };
  return { journal, log };
}

const subject = { incidentId: 42, issueKey: 'INC-7' };
const unavailable = new ServiceError({ service: 'jira', endpoint: 'POST /rest/api/2/issue', status: 503 });

describe('journaled', () => {
  it('journals the intent before it sends, and settles it done after', async () => {
    const { journal, log } = memoryJournal();
    const result = await journaled(journal, {
      kind: 'jira_edit',
      subject,
      payload: {},
      send: async () => {
        log.push('send');
        return 'sent';
      },
    });
    expect(result).toBe('sent');
    expect(log).toEqual(['begin jira_edit 42/INC-7', 'send', 'settle 1 done']);
  });

  it('settles a failed write failed and rethrows its error', async () => {
    const { journal, log } = memoryJournal();
    const write = journaled(journal, { kind: 'jira_transition', subject, payload: {}, send: () => Promise.reject(unavailable) });
    await expect(write).rejects.toBe(unavailable);
    expect(log).toEqual(['begin jira_transition 42/INC-7', 'settle 1 failed']);
  });

  it('leaves the intent pending when the write may have landed and cannot be read back', async () => {
    const { journal, log } = memoryJournal();
    const write = journaled(journal, { kind: 'jira_create', subject: { incidentId: 42, issueKey: '' }, payload: {}, send: () => Promise.reject(unavailable), mayHaveLanded: () => true });
    await expect(write).rejects.toBe(unavailable);
    expect(log).toEqual(['begin jira_create 42/']);
  });

  it('settles through the write\'s own step when it records more than the intent', async () => {
    const { journal, log } = memoryJournal();
    await journaled(journal, {
      kind: 'jira_create',
      subject: { incidentId: 42, issueKey: '' },
      payload: {},
      send: async () => ({ id: '10001', key: 'INC-1' }),
      settleLanded: async (intent, created) => {
        log.push(`pair ${created.key} with intent ${intent} settled`);
      },
    });
    expect(log).toEqual(['begin jira_create 42/', 'pair INC-1 with intent 1 settled']);
  });

  it('once the run is interrupted, neither journals nor sends', async () => {
    const { journal, log } = memoryJournal(true);
    let sent = false;
    const write = journaled(journal, {
      kind: 'impact_update',
      subject,
      payload: {},
      send: async () => {
        sent = true;
      },
    });
    await expect(write).rejects.toThrow(NotSentError);
    await expect(write).rejects.toThrow(NOT_SENT_INTERRUPTED);
    expect({ sent, log }).toEqual({ sent: false, log: [] });
  });
});
