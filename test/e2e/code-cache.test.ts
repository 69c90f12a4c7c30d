import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

let home: string;
let cacheFile: string;
let digest: Buffer;

// The package as installed, in a folder of its own: the repository's dist/cache is the other tests' to write.
beforeEach(() => {
  if (!existsSync(join(ROOT, 'dist/bundle/raidsync.cjs'))) throw new Error('build first: npm run build (npm test does)');
  home = mkdtempSync(join(tmpdir(), 'raidsync-code-cache-'));
  for (const entry of ['bin', 'dist/bundle', 'fixtures', 'package.json']) cpSync(join(ROOT, entry), join(home, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'), 'dir');
  cacheFile = join(home, 'dist/cache/raidsync.v8cache');
  digest = createHash('sha256').update(readFileSync(join(home, 'dist/bundle/raidsync.cjs'))).digest();
});

async function raidsync(...args: string[]): Promise<string> {
  const elsewhere = mkdtempSync(join(tmpdir(), 'raidsync-code-cache-run-'));
  const { stdout } = await run(join(home, 'bin/raidsync.js'), args, { cwd: elsewhere, env: { PATH: process.env.PATH ?? '', HOME: elsewhere, NO_COLOR: '1' } });
  return stdout;
}

/** The cache's header: the digest of the bundle it was made from, and whether a sync made it. */
function header(): { digest: Buffer; bySync: number; size: number } {
  const cache = readFileSync(cacheFile);
  return { digest: cache.subarray(0, 32), bySync: cache[32] as number, size: cache.length };
}

describe("the CLI's code cache", () => {
  it('is made by the first run, kept by the next, and replaced by the first sync, which compiles far more', async () => {
    const help = await raidsync('--help');
    expect(help).toContain('Usage: raidsync');
    const first = header();
    expect(first.digest.equals(digest)).toBe(true);
    expect(first.bySync).toBe(0);
    const made = readFileSync(cacheFile);
    expect(await raidsync('--help')).toBe(help);
    expect(readFileSync(cacheFile).equals(made)).toBe(true);
    expect(await raidsync('demo')).toContain('11 pairs, all in sync');
    const synced = header();
    expect(synced.bySync).toBe(1);
    expect(synced.size).toBeGreaterThan(first.size * 2);
    // A sync's cache stays when a smaller command runs.
    await raidsync('--help');
    expect(header()).toEqual(synced);
    expect(readdirSync(join(home, 'dist/cache'))).toEqual(['raidsync.v8cache']);
  }, 60_000);

  it("is not taken from another bundle's cache, nor from one V8 refuses: the run is as without it, and the cache is made again", async () => {
    const help = await raidsync('--help');
    const valid = readFileSync(cacheFile);
    // Another bundle of the same length: V8 alone would take its cache.
    writeFileSync(cacheFile, Buffer.concat([Buffer.alloc(32, 7), valid.subarray(32)]));
    expect(await raidsync('--help')).toBe(help);
    expect(header().digest.equals(digest)).toBe(true);
    // This bundle's digest over bytes V8 cannot read.
    writeFileSync(cacheFile, Buffer.concat([digest, Buffer.from([1]), Buffer.alloc(4096, 0xab)]));
    expect(await raidsync('--help')).toBe(help);
    const remade = header();
    expect(remade.digest.equals(digest)).toBe(true);
    expect(remade.bySync).toBe(0);
    expect(remade.size).toBeGreaterThan(valid.length / 2);
  }, 60_000);

});
