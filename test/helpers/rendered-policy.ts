import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { AutomationRepo } from '../../fixtures/automation-scenarios.js';
import { gitOut } from './rollback-scenario.js';

/** The ImagePolicy `kubectl kustomize DIR` renders at `commit`: what Flux applies, read independently of hotfix. */
export function renderedPolicy(r: AutomationRepo, commit: string, dir: string, name = 'cart'): any {
  const tree = mkdtempSync(join(tmpdir(), 'pin-render-'));
  try {
    gitOut(r.repo, ['worktree', 'add', '--quiet', '--detach', tree, commit]);
    const output = execFileSync('kubectl', ['kustomize', dir], { cwd: tree, encoding: 'utf8' });
    return parseAllDocuments(output).map((d) => d.toJS()).find((o) => o?.kind === 'ImagePolicy' && o.metadata.name === name);
  } finally {
    gitOut(r.repo, ['worktree', 'remove', '--force', tree]);
    rmSync(tree, { recursive: true, force: true });
  }
}
