import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openState, type StateDb } from '../../src/state/open.js';

/** A fresh folder, removed when the current test finishes. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'raidsync-state-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A migrated state file in a fresh folder, closed when the current test finishes. */
export async function openTempState(): Promise<StateDb> {
  const state = await openState(join(tempFolder(), 'state.sqlite'));
  onTestFinished(() => state.close());
  return state;
}
