import { openState, type StateDb } from '../state/open.js';
import type { StateLocation } from '../state/location.js';
import { StateFileError } from '../state/state-file-error.js';

/** Reads the state read-only (never creating, migrating or locking it); `missing` is the answer when there is no state file yet. */
export async function readState<T>(location: StateLocation, read: (state: StateDb) => Promise<T>, missing: () => T): Promise<T> {
  let state: StateDb;
  try {
    state = await openState(location, { readonly: true });
  } catch (error) {
    if (error instanceof StateFileError && error.problem === 'missing') return missing();
    throw error;
  }
  try {
    return await read(state);
  } finally {
    await state.close();
  }
}
