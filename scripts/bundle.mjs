// The shipped CLI: one minified ESM entry, and the parts loaded on demand (jira.js, the emulators, doctor, pg's dialect) as chunks of their own.
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const OUT = 'dist/bundle';

/** `import { z } from 'zod'` takes zod's namespace as a value, which keeps all of zod (its 40 locales too); `import * as z` lets the unused parts go. */
const zodNamespace = {
  name: 'zod-namespace',
  setup(on) {
    on.onLoad({ filter: /([\\/]src[\\/].*\.ts|[\\/]jira\.js[\\/].*\.mjs)$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"),
      loader: path.endsWith('.ts') ? 'ts' : 'js',
    }));
  },
};

// Chunk names carry a content hash: a chunk of an earlier build must not stay beside this one.
await rm(OUT, { recursive: true, force: true });
await build({
  entryPoints: { raidsync: 'src/cli/main.ts' },
  // Flat: src/cli/version.ts and src/sandbox/sandbox.ts find package.json and fixtures/ two folders up.
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Libraries name their errors after their classes (commander's CommanderError); minified names would show instead.
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // The native SQLite addon and the PostgreSQL driver load at run time from node_modules, as installed.
  external: ['better-sqlite3', 'pg'],
  // Bundled CommonJS (axios, commander) calls require() for Node's own modules.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  plugins: [zodNamespace],
  logLevel: 'warning',
});
