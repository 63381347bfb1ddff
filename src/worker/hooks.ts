// Test seams that work in both thread modes. A function cannot cross into a worker thread, so a test that wants
// to inject faults into the deciding names a module instead (EngineInternals.workerHooks); every core (inline or
// in a worker) imports it and wraps its deduper and store with what it exports. Not part of the public API.
import type { Deduper } from '../dedup/types.js';
import type { Store } from '../store/types.js';

export interface CoreHooks {
  /** Wraps the core's deduper; `partition` is the core's index (0 inline). */
  deduper?: (base: Deduper, partition: number) => Deduper;
  store?: (base: Store, partition: number) => Store;
}

export async function loadHooks(specifier: string | undefined): Promise<CoreHooks> {
  if (!specifier) return {};
  const m = (await import(specifier)) as CoreHooks & { default?: CoreHooks };
  return { deduper: m.deduper ?? m.default?.deduper, store: m.store ?? m.default?.store };
}
