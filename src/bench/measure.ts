import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/raidsync.js', import.meta.url));

export interface Measured {
  exitCode: number;
  wallMs: number;
  /** Peak resident set size of the raidsync process (VmHWM), in bytes. */
  peakRssBytes: number;
  stdout: string;
  stderr: string;
}

/** Runs the real binary as its own process, so that its memory and time are its own, not the emulators'. */
export async function runRaidsync(args: readonly string[], env: Record<string, string>, cwd: string): Promise<Measured> {
  const started = performance.now();
  const child = spawn(CLI, [...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak = 0;
  const sample = async () => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    } catch {
      // The process has just exited; its last sample stands.
    }
  };
  const sampler = setInterval(() => void sample(), 25);
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  clearInterval(sampler);
  return { exitCode, wallMs: performance.now() - started, peakRssBytes: peak, stdout, stderr };
}
