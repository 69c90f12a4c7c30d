import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateFileError } from './state-file-error.js';

// Every SQLite 3 database begins with these 16 bytes.
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Makes sure `path` can be opened as the state file without harming anything else: creates it private
 * (folder 0700, file 0600) when missing, and refuses a file that is not SQLite. An empty file counts as new.
 */
export function prepareStateFile(path: string, readonly: boolean): void {
  if (!readonly && createPrivateFile(path)) return;
  let header: Buffer;
  try {
    header = readHeader(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StateFileError(path, 'missing', 'does not exist');
    if (code === 'EISDIR') throw new StateFileError(path, 'unreadable', 'is a directory');
    throw new StateFileError(path, 'unreadable', `cannot be read (${code ?? String(error)})`);
  }
  if (header.length > 0 && !header.equals(SQLITE_HEADER)) {
    throw new StateFileError(path, 'not_sqlite', 'is not a SQLite database; refusing to overwrite it');
  }
}

/** Creates the file (and its folder) with owner-only access; false when it already existed. */
function createPrivateFile(path: string): boolean {
  const folder = dirname(path);
  try {
    // The umask may narrow a new mode but never widen it; chmod makes it exact. An existing folder is left as it is.
    if (mkdirSync(folder, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(folder, 0o700);
  } catch (error) {
    throw new StateFileError(path, 'unreadable', `cannot be created: ${(error as Error).message}`);
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateFileError(path, 'unreadable', `cannot be created: ${(error as Error).message}`);
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHeader(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const bytesRead = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}
