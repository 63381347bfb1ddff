// A worker thread of an engine in thread mode 'worker': one Core for the users of its partition, its own store
// connection, a replica of the host's flags. Everything it learns goes back through the Outbox; the host owns
// the promises, the metrics registry and the logger.
import { parentPort, workerData } from 'node:worker_threads';
import { Core } from '../core/core.js';
import { createDeduper } from '../core/deduper.js';
import { ReplicaFlags } from '../flags/replica.js';
import { FlagCounts, countFlagEvaluations } from '../metrics/flagCounts.js';
import type { ResolvedOptions } from '../options.js';
import type { Candidate } from '../types.js';
import { openStore } from '../store/index.js';
import { loadHooks } from './hooks.js';
import { lowerThreadPriority } from './priority.js';
import { Outbox, RelayEvents } from './outbox.js';
import { STATUS_MS, toWire, type CallMap, type CallName, type HostMessage, type WorkerInit } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const outbox = new Outbox(port);

async function start(): Promise<void> {
  lowerThreadPriority();
  const options = { ...init.options, logger: undefined, registry: undefined } as ResolvedOptions;
  const events = new RelayEvents(outbox);
  const flags = new ReplicaFlags(init.flags);
  const counts = new FlagCounts();
  countFlagEvaluations(flags, counts);
  const hooks = await loadHooks(init.hooks);
  const opened = await openStore(options.store, { shared: true });
  const store = hooks.store ? hooks.store(opened, init.index) : opened;
  const base = createDeduper(options, events);
  const deduper = hooks.deduper ? hooks.deduper(base, init.index) : base;
  const core = new Core({
    options, store, flags, deduper, emitter: events, sink: outbox, instanceId: init.instanceId,
    partition: { index: init.index, count: init.count },
    warn: (obj, msg) => outbox.push({ k: 'log', level: 'warn', obj, msg }),
  });
  outbox.status = () => core.status();

  let sent = new Map<string, [number, number]>();
  const report = (): void => {
    const now = new Map(counts.snapshot().map((c) => [c.flag, [c.off, c.on] as [number, number]]));
    const delta: Array<[string, number, number]> = [];
    for (const [flag, [off, on]] of now) {
      const [off0, on0] = sent.get(flag) ?? [0, 0];
      if (off !== off0 || on !== on0) delta.push([flag, off - off0, on - on0]);
    }
    sent = now;
    outbox.flush();
    outbox.post({ t: 'status', status: core.status(), flagCounts: delta });
  };
  const timer = setInterval(report, STATUS_MS);
  timer.unref();

  const calls: { [K in CallName]: (...a: CallMap[K]) => Promise<unknown> } = {
    recall: (userId, q) => core.recall(userId, q),
    undo: (eventId) => core.undo(eventId),
    forget: (userId, memoryId) => core.forget(userId, memoryId),
    erase: (userId, at) => core.erase(userId, at),
    sweep: (opts) => core.sweep(opts),
    recheckBacklog: (userId) => core.recheckBacklog(userId),
    poll: () => core.poll(),
    flush: () => core.flush(),
    drain: (timeoutMs) => core.drain(timeoutMs),
  };

  port.on('message', (m: HostMessage) => {
    switch (m.t) {
      case 'submit':
        for (const c of JSON.parse(m.json) as Candidate[]) core.enqueue(c);
        return;
      case 'flags':
        flags.replace(m.flags);
        return;
      case 'call': {
        const fn = calls[m.name] as (...a: unknown[]) => Promise<unknown>;
        fn(...m.args).then(
          (value) => outbox.push({ k: 'res', id: m.id, ok: true, value }),
          (e: unknown) => outbox.push({ k: 'res', id: m.id, ok: false, error: toWire(e) }),
        );
        return;
      }
      case 'close':
        void (async () => {
          await core.close();
          report();
          clearInterval(timer);
          await store.close().catch(() => {});
          outbox.flush();
          outbox.post({ t: 'closed' });
          port.close();
        })();
        return;
    }
  });

  if (init.background) core.start();
  outbox.post({ t: 'ready' });
}

start().catch((e: unknown) => {
  outbox.post({ t: 'fatal', error: toWire(e) });
  // The host sees the exit and restarts this worker with backoff.
  process.exit(1);
});
