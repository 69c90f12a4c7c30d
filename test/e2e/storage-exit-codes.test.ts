import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBuilt } from '../support/built-cli.js';
import { startWorld, type World } from '../support/cli.js';

let world: World | undefined;
let holder: ChildProcess | undefined;
let mounted: string | undefined;
afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = undefined;
  await world?.close();
  world = undefined;
  if (mounted) spawnSync('umount', [mounted]);
  mounted = undefined;
});

const root = process.getuid?.() === 0;

describe('local storage failures stop the run with exit 3 through the built CLI, never 4', () => {
  it('SQLite busy: another process holds a write lock on the state file past the busy timeout', async () => {
    world = await startWorld();
    expect([0, 4]).toContain((await runBuilt(world, ['reconcile', '--quiet'])).code);
    const path = world.env.RAIDSYNC_DB as string;
    const script = `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});d.exec('begin exclusive');process.stdout.write('held\\n');setInterval(()=>{},1000);`;
    holder = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((held) => holder?.stdout?.once('data', () => held()));
    const result = await runBuilt(world, ['reconcile']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('stayed locked by another process past the busy timeout');
  }, 60_000);

  it.skipIf(!root)('disk full: the state file on a filesystem with no space left', async () => {
    world = await startWorld();
    const dir = mkdtempSync(join(tmpdir(), 'raidsync-full-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=192k', 'tmpfs', dir]).status).toBe(0);
    mounted = dir;
    const state = join(dir, 'state.sqlite');
    // The schema fits; the first run's records do not.
    expect((await runBuilt(world, ['status'], { RAIDSYNC_DB: state })).code).toBe(0);
    try {
      writeFileSync(join(dir, 'filler'), Buffer.alloc(1024 * 1024));
    } catch {
      // Filled to the last block, as intended.
    }
    const result = await runBuilt(world, ['reconcile'], { RAIDSYNC_DB: state });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('the disk (or its quota) is full');
    rmSync(join(dir, 'filler'), { force: true });
  }, 60_000);
});
