// WAL checkpoints off the host's thread. A checkpoint copies the WAL into the database and fsyncs it; run by
// the committing connection (SQLite's default) it took ~40 % of commit time and stalled the event loop.
// A worker thread with its own connection runs PASSIVE checkpoints on a timer instead: they never block
// the writer, and the fsync waits on the worker's thread.
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
// Below the host's thread in the scheduler (Linux; see src/worker/priority.ts): a checkpoint can wait, the chat cannot.
try { require('node:os').setPriority(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()), 10); } catch { /* not Linux */ }
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next tick */ } };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); process.exit(0); } });
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;

  /** `onFailure` runs if the worker dies: the caller turns SQLite's own auto-checkpoint back on. */
  constructor(path: string, onFailure: (e: Error) => void, intervalMs = 200) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path, intervalMs, module: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('error', (e) => onFailure(e));
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Keep the process alive until the last checkpoint is done: an awaited close must not be cut short.
      this.worker.ref();
      const exited = once(this.worker, 'exit').then(() => undefined, () => undefined);
      this.worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      await this.worker.terminate();
    })();
    return this.stopped;
  }
}
