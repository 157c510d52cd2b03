/**
 * Runs at most `max` of the given jobs at once, in the order they are asked for: a fleet's
 * status starts one kubectl per namespace, and twenty at once on a two-core CI runner
 * would only queue for the processor while each holds its memory.
 */
export function boundedWork(max: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished job hands its slot straight to the next waiting one, so a job asked for in
  // between cannot take it too.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      release();
    }
  };
}
