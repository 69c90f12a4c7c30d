import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openState, type StateDb } from '../../src/state/open.js';
import { dropPostgresSchema, freshPostgresLocation, type Backend } from '../support/backends.js';

/** A fresh folder, removed when the current test finishes. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'raidsync-state-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A migrated state (a file in a fresh folder, or a fresh PostgreSQL schema), closed and removed when the current test finishes. */
export async function openTempState(backend: Backend = 'sqlite'): Promise<StateDb> {
  if (backend === 'sqlite') {
    const state = await openState(join(tempFolder(), 'state.sqlite'));
    onTestFinished(() => state.close());
    return state;
  }
  const location = freshPostgresLocation();
  const state = await openState(location);
  onTestFinished(async () => {
    await state.close();
    await dropPostgresSchema(location);
  });
  return state;
}
