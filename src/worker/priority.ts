// Worker threads run below the host's thread in the OS scheduler: when cores are scarce, the chat's event loop
// gets the CPU first and the deciding takes what is left. Linux only (a thread's nice value is set through its
// thread id, which setpriority accepts); elsewhere, and where the OS refuses, the worker keeps the host's priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How much lower than the host a worker thread runs (nice increment, 0..19). */
export const WORKER_NICE = 10;

/** Lowers the calling thread's priority; answers whether it could. */
export function lowerThreadPriority(nice = WORKER_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // /proc/thread-self -> "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, Math.max(0, nice)));
    return true;
  } catch {
    return false;
  }
}
