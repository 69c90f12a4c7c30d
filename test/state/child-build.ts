import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const repoRoot = resolve(import.meta.dirname, '../..');
const stateSources = join(repoRoot, 'src/state');

/**
 * Transpiles src/state into `folder` as plain ESM, so a child `node` process (which cannot load
 * TypeScript) runs the very modules under test. Only type imports leave src/state, so nothing else is needed.
 */
export function buildStateModules(folder: string): string {
  for (const source of readdirSync(stateSources, { recursive: true, encoding: 'utf8' })) {
    if (!source.endsWith('.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(stateSources, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    const target = join(folder, 'state', source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(folder, 'package.json'), '{"type":"module"}');
  symlinkSync(relative(folder, join(repoRoot, 'node_modules')) || '.', join(folder, 'node_modules'));
  return join(folder, 'state');
}
