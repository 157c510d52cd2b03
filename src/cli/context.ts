import type { BaseContext } from 'clipanion';

/** What commands may know of the process: they never read `process` directly. */
export interface HotfixContext extends BaseContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}
