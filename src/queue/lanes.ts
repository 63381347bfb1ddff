// Lanes: the scheduling unit for one user, on p-queue.
//
// A lane is in one of three states:
//   idle    – nothing pending, or pending but not yet scheduled (transient);
//   queued  – one job sits in p-queue for this user; new candidates join its next batch and
//             the job's priority rises to the highest pending one (p-queue setPriority);
//   running – its batch is in flight; arrivals wait in `pending` and the lane re-queues when it finishes.
// So at most one batch per user is in flight, and a user's candidates are decided in submission order.
import PQueue from 'p-queue';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { PRIORITY_RANK, type Candidate } from '../types.js';
import type { TimeSlicer } from './timeSlicer.js';

type LaneState = 'idle' | 'queued' | 'running';

interface Lane {
  userId: string;
  pending: Candidate[];
  rank: number;
  state: LaneState;
}

export interface LanesOptions {
  concurrency: number;
  /** Batch size for this user (1 when `memory.batch-processing` is off for them). */
  batchSize: (userId: string) => number;
  /** Decides a batch. Must not throw: failures are handled (retried, fallen back) inside. */
  run: (userId: string, batch: Candidate[]) => Promise<void>;
  /** When set, batches run one at a time in slices of the host's event loop (synchronous stores). */
  slicer?: TimeSlicer;
}

export class Lanes {
  private readonly queue: PQueue;
  private readonly lanes = new Map<string, Lane>();
  private pendingCandidates = 0;
  private runningLanes = 0;
  private paused = false;

  constructor(private readonly o: LanesOptions) {
    this.queue = new PQueue({ concurrency: o.concurrency });
  }

  /** Candidates waiting in lanes or in a batch in flight. */
  get depth(): number { return this.pendingCandidates; }
  get queued(): number { return this.queue.size; }
  get running(): number { return this.runningLanes; }
  get users(): number { return this.lanes.size; }

  has(userId: string): boolean { return this.lanes.has(userId); }

  enqueue(c: Candidate): void {
    let lane = this.lanes.get(c.userId);
    if (!lane) this.lanes.set(c.userId, (lane = { userId: c.userId, pending: [], rank: -1, state: 'idle' }));
    lane.pending.push(c);
    this.pendingCandidates++;
    const rank = PRIORITY_RANK[c.priority];
    if (lane.state === 'queued' && rank > lane.rank) {
      lane.rank = rank;
      this.queue.setPriority(lane.userId, rank);
    } else if (lane.state === 'idle') {
      this.schedule(lane);
    }
  }

  private schedule(lane: Lane): void {
    if (this.paused) return;
    lane.state = 'queued';
    lane.rank = Math.max(...lane.pending.map((c) => PRIORITY_RANK[c.priority]));
    void this.queue.add(() => this.runLane(lane), { priority: lane.rank, id: lane.userId });
  }

  private async runLane(lane: Lane): Promise<void> {
    // p-queue has dequeued the job: from here on setPriority would not find it.
    lane.state = 'running';
    this.runningLanes++;
    // Yield first, so a burst of lanes never holds the host's event loop in one go.
    const slicer = this.o.slicer;
    if (slicer) await slicer.acquire();
    else await yieldToLoop();
    // Taken after the wait: candidates that arrived meanwhile join this batch.
    const batch = lane.pending.splice(0, Math.max(1, this.o.batchSize(lane.userId)));
    try {
      await this.o.run(lane.userId, batch);
    } finally {
      slicer?.release();
      this.runningLanes--;
      this.pendingCandidates -= batch.length;
      lane.state = 'idle';
      if (lane.pending.length > 0) this.schedule(lane);
      else this.lanes.delete(lane.userId);
    }
  }

  /** Stop starting batches (in-flight ones finish). Pending candidates stay in the journal. */
  pause(): void {
    this.paused = true;
    this.queue.pause();
  }

  /** Resolves when no batch is running or queued. */
  async onIdle(): Promise<void> {
    await this.queue.onIdle();
  }

  /** Resolves when the batches in flight have finished (queued ones may remain). */
  async onRunningDone(): Promise<void> {
    await this.queue.onPendingZero();
  }

  /** Drops the in-memory copy of pending candidates (they stay in the journal). */
  clear(): void {
    this.queue.clear();
    this.lanes.clear();
    this.pendingCandidates = 0;
  }
}
