import ora from 'ora';
import { describeRetryWait, onRetryWait } from '../../net/retry.js';
import type { Io } from '../io.js';

/** Where a run says how far it has got; the engine calls `update`, only the CLI decides whether anyone sees it. */
export interface Progress {
  update(message: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/** An ora spinner on stderr, only for a person at a terminal: never under --json, --quiet, --no-color or NO_COLOR, nor in a pipe or cron log. */
export function startProgress(io: Io, options: { color: boolean; json?: boolean | undefined; quiet?: boolean | undefined }): Progress {
  const stream = io.stderrStream;
  const wanted =
    stream !== undefined && io.stderrIsTTY && options.color && !options.json && !options.quiet && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  if (!wanted) return SILENT;
  // discardStdin off: raidsync reads nothing from stdin, and raw mode would swallow a user's ^C handling.
  const spinner = ora({ stream, discardStdin: false, text: 'starting' }).start();
  let message = 'starting';
  let countdown: NodeJS.Timeout | undefined;
  // A server-requested wait replaces the message, counted down each second: "JIRA asked to wait 25 s, 12 s left".
  const unsubscribe = onRetryWait((wait) => {
    clearInterval(countdown);
    const tick = () => {
      if (Date.now() >= wait.until) {
        clearInterval(countdown);
        spinner.text = message;
      } else spinner.text = `${message} (${describeRetryWait(wait)})`;
    };
    tick();
    countdown = setInterval(tick, 1000);
  });
  return {
    update: (next) => {
      message = next;
      spinner.text = next;
    },
    stop: () => {
      clearInterval(countdown);
      unsubscribe();
      spinner.stop();
    },
  };
}
