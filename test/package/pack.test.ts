import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Opt-in: installing the package builds better-sqlite3 from source (about two minutes). .ci/run runs it after npm test.
const WANTED = process.env.RAIDSYNC_PACK_TEST === '1';
if (!WANTED) console.warn('pack.test.ts skipped: set RAIDSYNC_PACK_TEST=1 to pack, install into a temporary folder and run raidsync (as .ci/run does)');

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'bin', 'src', 'fixtures', 'README.md'];
const run = promisify(execFile);
const MINUTES = 60_000;

describe.skipIf(!WANTED)('npm pack', () => {
  it(
    'gives a package that installs on a clean machine and runs raidsync --version and raidsync demo',
    async () => {
      // Pack from a copy, so the tarball holds a fresh build and the working tree's dist/ is left alone.
      const copy = mkdtempSync(join(tmpdir(), 'raidsync-pack-src-'));
      for (const entry of SOURCES) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      const packed = await run('npm', ['pack', '--json', '--pack-destination', copy], { cwd: copy, maxBuffer: 64 * 1024 * 1024 });
      const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: Array<{ path: string }> }];
      const paths = files.map((file) => file.path);
      expect(paths).toEqual(expect.arrayContaining(['bin/raidsync.js', 'dist/bundle/raidsync.cjs', 'fixtures/jira.json', 'fixtures/impact.json', 'README.md', 'package.json']));
      // The bundle only: tsc's file-per-module output stays for the tests.
      expect(paths.filter((path) => /^(src|test)\/|^dist\/(?!bundle\/)|\.test\.|\.tsbuildinfo$/.test(path))).toEqual([]);

      const home = mkdtempSync(join(tmpdir(), 'raidsync-pack-install-'));
      writeFileSync(join(home, 'package.json'), '{ "private": true }\n');
      await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', join(copy, filename)], { cwd: home, timeout: 20 * MINUTES, maxBuffer: 64 * 1024 * 1024 });

      const bin = join(home, 'node_modules', '.bin', 'raidsync');
      const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      // A temporary folder of its own: nothing of the repository is in reach.
      const elsewhere = mkdtempSync(join(tmpdir(), 'raidsync-pack-run-'));
      const env = { PATH: process.env.PATH ?? '', HOME: elsewhere };
      expect((await run(bin, ['--version'], { cwd: elsewhere, env })).stdout.trim()).toBe(version);
      const demo = await run(bin, ['demo'], { cwd: elsewhere, env, timeout: 5 * MINUTES });
      expect(demo.stderr).toBe('');
      expect(demo.stdout).toContain('11 pairs, all in sync');
    },
    30 * MINUTES,
  );
});
