import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { acquireLock, releaseLock, type LockResult } from '../../src/state/lock.js';
import { openState } from '../../src/state/open.js';
import { buildStateModules } from './child-build.js';
import { openTempState, tempFolder } from './temp-state.js';

const host = hostname();
const now = new Date('2026-03-01T12:00:00Z');

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

describe('acquireLock', () => {
  it('gives the lock to the first acquirer and names it to the second', async () => {
    const { db } = await openTempState();
    await expect(acquireLock(db, { pid: process.pid, host, now })).resolves.toEqual({ ok: true });
    const second = await acquireLock(db, { pid: process.ppid, host, now: new Date() });
    expect(second).toEqual({ ok: false, holder: { pid: process.pid, host, startedAt: now } });
  });

  it('refuses the lock to the same process twice', async () => {
    const { db } = await openTempState();
    await acquireLock(db, { pid: process.pid, host, now });
    await expect(acquireLock(db, { pid: process.pid, host, now })).resolves.toMatchObject({ ok: false });
  });

  it('takes over a lock whose process is gone on this host', async () => {
    const { db } = await openTempState();
    const gone = deadPid();
    await acquireLock(db, { pid: gone, host, now });
    await expect(acquireLock(db, { pid: process.pid, host, now })).resolves.toEqual({ ok: true });
    const third = await acquireLock(db, { pid: process.ppid, host, now });
    expect(third).toMatchObject({ ok: false, holder: { pid: process.pid } });
  });

  it('does not take over a lock held from another host, whose processes it cannot see', async () => {
    const { db } = await openTempState();
    const gone = deadPid();
    await acquireLock(db, { pid: gone, host: 'other-host', now });
    await expect(acquireLock(db, { pid: process.pid, host, now })).resolves.toEqual({
      ok: false,
      holder: { pid: gone, host: 'other-host', startedAt: now },
    });
  });

  it('is released only by its holder', async () => {
    const { db } = await openTempState();
    await acquireLock(db, { pid: process.pid, host, now });
    await expect(releaseLock(db, { pid: process.ppid, host })).resolves.toBe(false);
    await expect(acquireLock(db, { pid: process.ppid, host, now })).resolves.toMatchObject({ ok: false });
    await expect(releaseLock(db, { pid: process.pid, host })).resolves.toBe(true);
    await expect(acquireLock(db, { pid: process.ppid, host, now })).resolves.toEqual({ ok: true });
  });

  it('sees a lock taken through another connection to the same file', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const first = await openState(path);
    const second = await openState(path);
    await acquireLock(first.db, { pid: process.pid, host, now });
    await expect(acquireLock(second.db, { pid: process.ppid, host, now })).resolves.toMatchObject({
      ok: false,
      holder: { pid: process.pid },
    });
    await first.close();
    await second.close();
  });

  it('lets exactly one of two processes racing for a new state file win', async () => {
    const childScript = writeChildScript(tempFolder());
    for (let round = 0; round < 3; round++) {
      const results = await race(childScript, join(tempFolder(), 'state.sqlite'));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.find((result) => !result.ok)).toMatchObject({ holder: { host } });
    }
  });
});

/**
 * A script that opens the (possibly new) state file, waits for the shared start time, tries the lock,
 * prints the result, and keeps running until stdin closes, so that a won lock stays held by a live pid.
 */
function writeChildScript(folder: string): string {
  const stateModules = buildStateModules(folder);
  const script = join(folder, 'acquire.js');
  writeFileSync(
    script,
    `
    import { hostname } from 'node:os';
    import { openState } from ${JSON.stringify(join(stateModules, 'open.js'))};
    import { acquireLock } from ${JSON.stringify(join(stateModules, 'lock.js'))};
    const [path, startAt] = process.argv.slice(2);
    const state = await openState(path);
    await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
    const result = await acquireLock(state.db, { pid: process.pid, host: hostname(), now: new Date() });
    console.log(JSON.stringify(result));
    process.stdin.resume();
    process.stdin.on('end', () => state.close().then(() => process.exit(0)));
    `,
  );
  return script;
}

async function race(childScript: string, path: string): Promise<LockResult[]> {
  const startAt = Date.now() + 700;
  const children = [0, 1].map(() =>
    spawn(process.execPath, [childScript, path, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const results = await Promise.all(
    children.map(async (child) => {
      for await (const line of createInterface({ input: child.stdout })) return JSON.parse(line) as LockResult;
      throw new Error(`child ${child.pid} exited without a result`);
    }),
  );
  await Promise.all(children.map((child) => new Promise((resolve) => (child.on('exit', resolve), child.stdin.end()))));
  return results;
}
