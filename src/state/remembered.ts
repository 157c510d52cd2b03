/**
 * The answer kept under `key`, or `make`'s, kept for the next asker: one read for every
 * environment that needs it, those asking while it runs waiting for the same promise. A
 * failed read is kept too, so each of them says the same why.
 */
export function remembered<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let answer = cache.get(key);
  if (!answer) cache.set(key, (answer = make()));
  return answer;
}
