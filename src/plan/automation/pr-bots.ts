import { posix } from 'node:path';
import type { AutomationInput, BotEngine, FoundAutomation } from './engine.js';

/**
 * The bots that propose image updates as pull requests. A person merges those, so they
 * never undo a rollback by themselves: reported by status, never warned about. Pure.
 */
export function findPullRequestBots(input: AutomationInput): FoundAutomation[] {
  return input.scan.botFiles.map((file) => ({ engine: botOf(file), name: posix.basename(file), file, writesBack: false, active: true }));
}

function botOf(file: string): BotEngine {
  if (file.includes('dependabot')) return 'dependabot';
  if (file.includes('release-please')) return 'release-please';
  return 'renovate';
}
