// bin/raidsync.js loads the CLI through this file; `raidsync --version` does not load it.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants } from 'node:vm';

/** The commands that read both sides: what start-up time matters for, and what compiles most of the CLI. */
const SYNC_COMMANDS = new Set(['diff', 'push', 'pull', 'reconcile', 'apply', 'demo']);
/** Exit codes of a sync that read both sides (in sync, drift shown, finished with errors); the others stopped before. */
const SYNCED = new Set([0, 1, 4]);

/**
 * The CLI is one CommonJS file compiled through V8's code cache, which Node 20 offers for scripts but not for ES modules:
 * a run starts from the functions an earlier run compiled instead of parsing and compiling them again. The cache sits
 * beside the package's own files (as trusted as the bundle), is written once a run has compiled what it needs, and is
 * written again when it is another bundle's or V8 refuses it (another Node, other flags); where it cannot be written, nothing is cached.
 */
export function loadCli(args) {
  const file = fileURLToPath(new URL('../dist/bundle/raidsync.cjs', import.meta.url));
  const cacheFile = fileURLToPath(new URL('../dist/cache/raidsync.v8cache', import.meta.url));
  const source = readFileSync(file, 'utf8');
  // V8 checks a cache against the source's length only: the cache starts with the digest of the source it was made from,
  // then whether a sync that read both sides made it (a --help or a status compiles a fraction of what a sync needs, so the
  // first such sync replaces their cache).
  const digest = createHash('sha256').update(source).digest();
  let cachedData;
  let bySync = false;
  try {
    const cache = readFileSync(cacheFile);
    if (cache.subarray(0, digest.length).equals(digest)) {
      bySync = cache[digest.length] === 1;
      cachedData = cache.subarray(digest.length + 1);
    }
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const cacheUsed = cachedData !== undefined && script.cachedDataRejected !== true;
  return {
    exports: module.exports,
    keepCode: (exitCode) => {
      const synced = SYNC_COMMANDS.has(args[0] ?? '') && SYNCED.has(exitCode);
      if (cacheUsed && (bySync || !synced)) return;
      // Renamed into place whole: a run starting meanwhile reads the old cache or none, never half of one.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        // Opened before the cache is made: a read-only install is not charged for making one.
        const out = openSync(partial, 'w');
        try {
          writeSync(out, Buffer.concat([digest, Buffer.from([synced ? 1 : 0]), script.createCachedData()]));
        } finally {
          closeSync(out);
        }
        renameSync(partial, cacheFile);
      } catch {
        // A read-only install (every run compiles, as it would without the cache), or a full disk.
        rmSync(partial, { force: true });
      }
    },
  };
}
