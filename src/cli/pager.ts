import { spawn } from 'node:child_process';

/**
 * Shows `text` through `$PAGER` (default `less`, with git's LESS=FRX: colours kept, no screen clearing, quit
 * when it fits) on the terminal stdout is; resolves false when no pager ran, so the caller prints it itself.
 */
export function page(text: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const command = env.PAGER ?? 'less';
  if (command.trim() === '' || command.trim() === 'cat') return Promise.resolve(false);
  return new Promise((resolve) => {
    // ^C belongs to the pager while it runs (less uses it to stop a search), not to raidsync.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    const done = (shown: boolean) => {
      process.off('SIGINT', ignore);
      resolve(shown);
    };
    const child = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' } });
    child.on('error', () => done(false));
    // The reader may quit before the end: the rest of the text has nowhere to go, which is fine.
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
    // 126/127: the shell found no such pager.
    child.on('close', (code) => done(code !== 126 && code !== 127));
  });
}
