import { describeRetryWait, onRetryWait } from '../../net/retry.js';
import type { Io } from '../io.js';
import { canAnimate, MIN_ANIMATION_COLUMNS } from '../terminal.js';

/** Where a run says how far it has got; the engine calls `update`, only the CLI decides whether anyone sees it. */
export interface Progress {
  update(message: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * An ora spinner on stderr, only for a person at a terminal of known width ≥ 20 columns: never under --json,
 * --quiet, --no-color, NO_COLOR or TERM=dumb, nor in a pipe or cron log. ora is loaded only then: its string-width
 * sets up ICU's grapheme segmenter as it loads, some 30 ms of a run that shows no spinner.
 */
export async function startProgress(io: Io, options: { color: boolean; json?: boolean | undefined; quiet?: boolean | undefined }): Promise<Progress> {
  const stream = io.stderrStream;
  const wanted = stream !== undefined && io.stderrIsTTY && canAnimate(stream, io.env) && options.color && !options.json && !options.quiet && io.env.NO_COLOR === undefined;
  if (!wanted) return SILENT;
  const { default: ora } = await import('ora');
  // ora divides by the width it reads at each frame: never let it see fewer columns than the floor, even after a resize.
  const clamped = new Proxy(stream, {
    get: (target, key) => {
      if (key === 'columns') return Math.max(target.columns || 0, MIN_ANIMATION_COLUMNS);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  // discardStdin off: raidsync reads nothing from stdin, and raw mode would swallow a user's ^C handling.
  const spinner = ora({ stream: clamped, discardStdin: false, text: 'starting' }).start();
  let message = 'starting';
  let countdown: NodeJS.Timeout | undefined;
  // A server-requested wait replaces the message, counted down each second: "JIRA asked to wait 25 s, 12 s left".
  const unsubscribe = onRetryWait((wait) => {
    clearInterval(countdown);
    const tick = () => {
      if (!spinner.isSpinning) return;
      if (Date.now() >= wait.until) {
        clearInterval(countdown);
        spinner.text = message;
      } else spinner.text = `${message} (${describeRetryWait(wait)})`;
    };
    tick();
    countdown = setInterval(tick, 1000);
  });
  // Shrunk below the floor mid-run: stop drawing rather than redraw on a terminal too narrow for it.
  const onResize = () => {
    if ((stream.columns || 0) < MIN_ANIMATION_COLUMNS) stop();
  };
  const stop = () => {
    clearInterval(countdown);
    unsubscribe();
    stream.off('resize', onResize);
    spinner.stop();
  };
  stream.on('resize', onResize);
  return {
    update: (next) => {
      message = next;
      if (spinner.isSpinning) spinner.text = next;
    },
    stop,
  };
}
