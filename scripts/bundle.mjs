// The shipped CLI: one minified CommonJS file, which bin/raidsync.js compiles through V8's code cache (Node 20 has none for ES
// modules). The parts some commands need (jira.js, the emulators, doctor, pg's dialect) are in it, but their modules run only when loaded.
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

// No file of an earlier build may stay beside this one; the code cache of the earlier bundle goes with it.
await rm(OUT, { recursive: true, force: true });
await rm('dist/cache', { recursive: true, force: true });
await build({
  entryPoints: { raidsync: 'src/cli/main.ts' },
  // Flat: src/cli/version.ts and src/sandbox/sandbox.ts find package.json and fixtures/ two folders up.
  outdir: OUT,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Libraries name their errors after their classes (commander's CommanderError); minified names would show instead.
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // The native SQLite addon and the PostgreSQL driver load at run time from node_modules, as installed.
  external: ['better-sqlite3', 'pg'],
  // The sources find package.json and fixtures/ from import.meta.url, which CommonJS has not.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl=require('node:url').pathToFileURL(__filename).href;" },
  plugins: [zodNamespace],
  logLevel: 'warning',
});
