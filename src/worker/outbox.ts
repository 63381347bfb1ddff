// A worker's side of the port: what happened is queued in order and posted once per turn of the worker's loop,
// with the core's status, so the host handles one message per worker per turn, not one per candidate.
import type { MessagePort } from 'node:worker_threads';
import type { CoreSink, CoreStatus } from '../core/core.js';
import { EngineEvents, type EngineEventMap } from '../engineEvents.js';
import type { Candidate, Decision } from '../types.js';
import { encodePayload, type OutItem, type WorkerMessage } from './protocol.js';

/** Candidates (or other items) per message at most: about a millisecond of the host's time to read and apply. */
const MAX_WEIGHT = 500;

export class Outbox implements CoreSink {
  private items: OutItem[] = [];
  private weight = 0;
  private scheduled = false;
  status: () => CoreStatus = () => { throw new Error('outbox: no status source yet'); };

  constructor(private readonly port: MessagePort) {}

  push(item: OutItem): void {
    this.items.push(item);
    // The host reads a message in one piece: past this many candidates it goes now, not at the end of the turn.
    this.weight += item.k === 'acc' ? item.rows.length : 1;
    if (this.weight >= MAX_WEIGHT) { this.flush(); return; }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => { this.scheduled = false; this.flush(); });
  }

  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.weight = 0;
    this.post({ t: 'out', items, status: this.status() });
  }

  post(m: WorkerMessage): void {
    this.port.postMessage(m);
  }

  accepted(rows: Candidate[]): void {
    if (rows.length) this.push({ k: 'acc', rows });
  }

  rejected(c: Candidate, message: string): void {
    this.push({ k: 'rej', c, message });
  }

  decided(c: Candidate, d: Decision, ev: boolean): void {
    this.push({ k: 'dec', c, d, ev });
  }
}

/** The core's events: emitted here for the core's own listeners, and queued for the host's emitter. */
export class RelayEvents extends EngineEvents {
  constructor(private readonly outbox: Outbox) { super(); }

  override safeEmit<K extends keyof EngineEventMap>(name: K, ...args: EngineEventMap[K]): void {
    super.safeEmit(name, ...args);
    this.outbox.push({ k: 'ev', name, payload: encodePayload(args[0]) });
  }
}
