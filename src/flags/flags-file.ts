// The flags file on disk: atomic rewrite, and change detection that survives editors and `mv`.
import { type FSWatcher, stat, watch } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Coalesces the burst of events one save produces (truncate, write, rename) into one reload. */
const DEBOUNCE_MS = 25;
/** fs.watch misses changes on some filesystems (NFS, some containers); polling bounds the delay. */
export const POLL_MS = 500;

/** Readers see the old file or the new one, never a torn write: rename is atomic within a directory. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Calls `onChange` (debounced) when the file may have changed. Watches the directory rather than the
 * file, because an atomic replace gives the path a new inode that a file watch would not follow.
 * Returns the stop function. Nothing here keeps the process alive.
 */
export function watchFile(file: string, onChange: () => void, pollMs = POLL_MS): () => void {
  const base = basename(file);
  let debounce: NodeJS.Timeout | undefined;
  let stopped = false;
  const fire = (): void => {
    if (stopped || debounce) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!stopped) onChange();
    }, DEBOUNCE_MS);
    debounce.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === base) fire();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    watcher = undefined; // the poll alone still notices changes
  }

  let last = '';
  const stamp = (): void => {
    stat(file, (err, st) => {
      const next = err ? `missing:${err.code}` : `${st.ino}:${st.size}:${st.mtimeMs}`;
      if (last && next !== last) fire();
      last = next;
    });
  };
  stamp();
  const poll = setInterval(stamp, pollMs);
  poll.unref();

  return () => {
    stopped = true;
    watcher?.close();
    clearInterval(poll);
    clearTimeout(debounce);
  };
}
