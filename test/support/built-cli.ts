import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { World } from './cli.js';

const BIN = resolve(import.meta.dirname, '../../bin/raidsync.js');

export interface BuiltResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a person runs it in this world (none of the caller's RAIDSYNC_* settings), `env` added. */
export function runBuilt(world: World, args: readonly string[], env: Record<string, string> = {}): Promise<BuiltResult> {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/bundle'))) throw new Error('build first: npm run build (npm test does)');
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RAIDSYNC_')));
  const child = spawn(process.execPath, [BIN, ...args], { cwd: world.cwd, env: { ...inherited, ...world.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}
