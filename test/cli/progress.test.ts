import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { startProgress } from '../../src/cli/render/progress.js';
import { ServiceError } from '../../src/net/errors.js';
import { withRetry } from '../../src/net/retry.js';

/** A terminal on stderr that keeps what was drawn on it. */
function terminal(): { io: Io; drawn: () => string } {
  let drawn = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        drawn += String(chunk);
        done();
      },
    }),
    // What ora asks of a TTY stream.
    { isTTY: true, columns: 120, cursorTo: () => true, moveCursor: () => true, clearLine: () => true },
  );
  const io = {
    stdout: () => undefined,
    stderr: () => undefined,
    stderrStream: stream as unknown as NodeJS.WriteStream,
    env: { TERM: 'xterm-256color' },
    stdoutIsTTY: true,
    stderrIsTTY: true,
    columns: 120,
    cwd: process.cwd(),
  } as unknown as Io;
  return { io, drawn: () => drawn };
}

describe('progress on a terminal', () => {
  // ora draws nothing under CI (is-interactive): this test stands in for a person's terminal.
  const ci = process.env['CI'];
  beforeEach(() => {
    delete process.env['CI'];
  });
  afterEach(() => {
    if (ci !== undefined) process.env['CI'] = ci;
  });

  it('counts down a wait JIRA asked for beside the current step', async () => {
    const { io, drawn } = terminal();
    const progress = await startProgress(io, { color: true });
    progress.update('reading JIRA 0/11');
    let calls = 0;
    const limited = new ServiceError({ service: 'jira', endpoint: 'GET /rest/api/2/search/jql', status: 429, retryAfterMs: 1_500 });
    await withRetry(async () => {
      if (calls++ === 0) throw limited;
    }, { idempotent: true, host: 'progress.test' });
    progress.stop();
    expect(drawn()).toContain('reading JIRA 0/11 (JIRA asked to wait 2 s, 2 s left)');
    expect(drawn()).toContain('reading JIRA 0/11 (JIRA asked to wait 2 s, 1 s left)');
  });
});
