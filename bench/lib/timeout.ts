/** Bounding helpers: every wait in the benchmarks has a deadline. */

/** Thrown when a bounded wait runs out. */
export class BenchTimeout extends Error {}

/** Resolves with `p`, or rejects with BenchTimeout after `ms` (the timer never keeps the process alive). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeout(`${what}: no answer after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Polls `cond` every `intervalMs` until it returns a truthy value; rejects with BenchTimeout after `timeoutMs`. */
export async function until<T>(cond: () => T | undefined | null | false, timeoutMs: number, what: string, intervalMs = 5): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (performance.now() >= deadline) throw new BenchTimeout(`${what}: not reached after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** Sleeps `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `total` tasks with at most `concurrency` in flight (closed loop: each worker starts its next task when the
 * previous one answers). Stops early with BenchTimeout once `deadlineMs` has passed.
 */
export async function runPool(total: number, concurrency: number, deadlineMs: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const deadline = performance.now() + deadlineMs;
  const worker = async (): Promise<void> => {
    while (next < total) {
      if (performance.now() > deadline) throw new BenchTimeout(`load of ${total} tasks not done after ${deadlineMs} ms (${next} started)`);
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
