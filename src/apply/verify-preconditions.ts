import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { parseImageRef } from '../patch/image-ref.js';
import type { Plan, Precondition } from '../plan/types.js';
import type { ClusterState } from '../state/types.js';
import { git } from '../state/git/run-git.js';
import { resolveCommit } from '../state/git/read.js';
import { VERSION } from '../version.js';
import { refKey } from './ref-effects.js';

export interface Facts {
  /** Where each repository is on this machine: the plan's bindings, or --repo overrides. */
  readonly repos: Readonly<Record<string, string>>;
  /** Reads the running image of an environment, when the plan relies on it. */
  readonly cluster: (environment: string) => Promise<ClusterState | undefined>;
}

/**
 * Re-checks every fact the plan relies on; returns one finding per fact that changed. A ref
 * may also hold a value this plan's own actions give it (an earlier apply got that far).
 */
export async function verifyPreconditions(plan: Plan, facts: Facts, planned: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<Diagnostic[]> {
  const failures: Diagnostic[] = [];
  for (const precondition of plan.preconditions) {
    if (precondition.kind === 'ref' && planned.has(refKey(precondition.repo, precondition.ref))) {
      const now = await refValue(repoPath(facts.repos, precondition.repo), precondition.ref);
      if (now !== undefined && planned.get(refKey(precondition.repo, precondition.ref))!.has(now)) continue;
    }
    const problem = await check(plan, precondition, facts);
    if (problem) failures.push(diagnostic('HF404', problem));
  }
  return failures;
}

async function check(plan: Plan, p: Precondition, facts: Facts): Promise<string | undefined> {
  switch (p.kind) {
    case 'ref': {
      const now = (await refValue(repoPath(facts.repos, p.repo), p.ref)) ?? null;
      if (now === p.sha) return undefined;
      if (p.sha === null) return `${p.repo}: ${p.ref} exists now (at ${now!.slice(0, 7)}); the plan would create it`;
      return `${p.repo}: ${p.ref} moved from ${p.sha.slice(0, 7)} to ${now === null ? '(deleted)' : now.slice(0, 7)}`;
    }
    case 'blob': {
      const result = await git(repoPath(facts.repos, p.repo), ['rev-parse', '--verify', '--quiet', '--end-of-options', `${p.commit}:${p.path}`], { okCodes: [1, 128] });
      const now = result.code === 0 ? result.stdout.trim() : null;
      return now === p.blob ? undefined : `${p.repo}: ${p.path} at ${p.commit.slice(0, 7)} is ${now ? `blob ${now.slice(0, 7)}` : 'missing'}, not ${p.blob.slice(0, 7)}`;
    }
    case 'running-image': {
      const cluster = await facts.cluster(p.environment);
      if (!cluster) return `the running image of ${p.environment} could not be read to check it is still ${p.image}`;
      const same = parseImageRef(cluster.image).tag === parseImageRef(p.image).tag && cluster.image === p.image && (p.digest === undefined || cluster.digest === p.digest);
      return same ? undefined : `${p.environment} now runs ${cluster.image}${cluster.digest ? `@${cluster.digest}` : ''}, not ${p.image}${p.digest ? `@${p.digest}` : ''}`;
    }
    case 'policy': {
      const bytes = await readFile(p.file).catch(() => undefined);
      if (!bytes) return `the policy ${p.file} is gone`;
      const now = createHash('sha256').update(bytes).digest('hex');
      return now === p.sha256 ? undefined : `the policy ${p.file} changed since the plan was made`;
    }
    case 'tool':
      return p.version === VERSION ? undefined : `the plan was made by hotfix ${p.version}; this is ${VERSION}`;
  }
}

/** What a ref points at: a commit, or an annotated tag object for tags. */
export async function refValue(repo: string, ref: string): Promise<string | undefined> {
  if (!ref.startsWith('refs/tags/')) return resolveCommit(repo, ref);
  const result = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', ref], { okCodes: [1] });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export function repoPath(repos: Readonly<Record<string, string>>, name: string): string {
  const path = Object.hasOwn(repos, name) ? repos[name] : undefined;
  if (path === undefined) throw new HotfixError([diagnostic('HF200', `the plan names repository "${name}"; bind it with --repo ${name}=PATH`)]);
  return path;
}
