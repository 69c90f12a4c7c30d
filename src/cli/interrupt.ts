import type { Io } from './io.js';

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Turns the first SIGINT or SIGTERM into an abort the run checks before each write, so the write in flight
 * finishes and is journaled. The handlers are removed once one fires: a second signal ends the process at once.
 */
export function listenForInterrupt(io: Io): Interrupt {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    dispose();
    io.stderr(`raidsync: ${signal} received; stopping after the write in flight (send it again to stop at once)\n`);
    controller.abort();
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}

/** Resolves with the first SIGINT or SIGTERM, for a command that runs until the user stops it. */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
