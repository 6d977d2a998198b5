// CPU time of the calling thread, for benchmarks on a shared machine: other
// processes inflate wall time, not the CPU time a thread actually got.
import { readFileSync } from 'node:fs';

/** Milliseconds this thread has run on a CPU (Linux schedstat); NaN where unavailable. */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}
