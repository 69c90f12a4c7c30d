/** What raidsync asks of a terminal before it draws on it. */
export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
}

/** The narrowest terminal a spinner may redraw on: below it (or at an unknown 0) ora's line arithmetic runs away. */
export const MIN_ANIMATION_COLUMNS = 20;

/** The width output must fit: the terminal's when it reports one, else $COLUMNS, else none (undefined). */
export function outputWidth(stream: TerminalStream, env: NodeJS.ProcessEnv): number | undefined {
  if (stream.isTTY && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** Whether a spinner may move the cursor on `stream`: a terminal of known width ≥ 20 columns whose TERM is not dumb. */
export function canAnimate(stream: TerminalStream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (stream.columns ?? 0) >= MIN_ANIMATION_COLUMNS && env.TERM !== 'dumb';
}
