import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { readLockHolder } from '../../src/state/lock-holder.js';
import { acquireLock, releaseLock, type LockResult } from '../../src/state/lock.js';
import { openState } from '../../src/state/open.js';
import { buildStateModules } from './child-build.js';
import { openTempState, tempFolder } from './temp-state.js';

const host = hostname();
const now = new Date('2026-03-01T12:00:00Z');

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

  it('takes over the lock of a holder killed with SIGKILL, whatever host it named: the kernel freed its lock file', async () => {
    const path = join(tempFolder(), 'state.sqlite');
    const holder = await holdingChild(writeChildScript(tempFolder()), path, 'pod-7f9c');
    const state = await openState(path);
    try {
      await expect(acquireLock(state.db, { pid: process.pid, host, now })).resolves.toMatchObject({ ok: false, holder: { pid: holder.pid, host: 'pod-7f9c' } });
      await expect(readLockHolder(state.db)).resolves.toMatchObject({ pid: holder.pid, host: 'pod-7f9c' });
      await holder.kill();
      // The row still names the dead holder; it is no lock.
      await expect(readLockHolder(state.db)).resolves.toBeNull();
      await expect(acquireLock(state.db, { pid: process.pid, host, now })).resolves.toEqual({ ok: true });
      await expect(readLockHolder(state.db)).resolves.toEqual({ pid: process.pid, host, startedAt: now });
    } finally {
      await state.close();
    }
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
    const [path, startAt, host] = process.argv.slice(2);
    const state = await openState(path);
    await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
    const result = await acquireLock(state.db, { pid: process.pid, host: host ?? hostname(), now: new Date() });
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

/** A child process holding the lock as `host`; `kill` SIGKILLs it and waits for it to be gone. */
async function holdingChild(childScript: string, path: string, host: string): Promise<{ pid: number; kill(): Promise<void> }> {
  const child = spawn(process.execPath, [childScript, path, String(Date.now()), host], { stdio: ['pipe', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout })) {
    expect(JSON.parse(line)).toEqual({ ok: true });
    break;
  }
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { pid: child.pid as number, kill: async () => void (child.kill('SIGKILL'), await exited) };
}
