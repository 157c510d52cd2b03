/**
 * One argument for a POSIX shell, single-quoted whatever it holds, so that a command a
 * person pastes runs with exactly the names the plan shows (a branch may hold `$`, `;`, `'`).
 */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
