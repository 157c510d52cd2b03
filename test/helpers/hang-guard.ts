/**
 * How long anything a test waits for may take before it is taken for a hang. Only a hang
 * reaches it: no test measures time, as a busy machine runs anything many times slower.
 */
export const HANG_GUARD_MS = 180_000;

/** `pending`, or a failure naming `what` if it has not settled within the hang guard. */
export async function unlessHung<T>(pending: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung: no answer within ${HANG_GUARD_MS / 1000} s`)), HANG_GUARD_MS);
  });
  try {
    return await Promise.race([pending, hung]);
  } finally {
    clearTimeout(timer);
  }
}
