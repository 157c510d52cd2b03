/**
 * Remembers a pure check of a string. Policies in one repository are usually stamped from
 * one template, so a thousand of them hold a handful of distinct patterns and templates;
 * linting them all then parses each pattern once instead of a thousand times (in a short
 * process most of that code never leaves the interpreter, so each call is dear). The
 * cache lives as long as the process and holds at most one entry per distinct input.
 */
export function memoize<T>(check: (input: string) => T): (input: string) => T {
  const seen = new Map<string, T>();
  return (input) => {
    if (seen.has(input)) return seen.get(input) as T;
    const result = check(input);
    seen.set(input, result);
    return result;
  };
}
