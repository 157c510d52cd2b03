import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocumentPatch } from '../patch/patch-yaml.js';
import type { Person } from '../state/types.js';

/** Major bumps are rejected by apply; minor bumps only add fields, which apply ignores. */
export const PLAN_FORMAT_VERSION = '1.0';

export interface RollbackRequest {
  readonly kind: 'rollback';
  readonly environment: string;
  readonly reason?: string;
  readonly to?: string;
  readonly allowDrift: boolean;
}

export type PlanRequest = RollbackRequest;

/** Facts apply re-checks before it writes anything. */
export type Precondition =
  | { readonly kind: 'ref'; readonly repo: string; readonly ref: string; readonly sha: string | null }
  | { readonly kind: 'blob'; readonly repo: string; readonly commit: string; readonly path: string; readonly blob: string }
  | { readonly kind: 'running-image'; readonly environment: string; readonly image: string; readonly digest?: string }
  | { readonly kind: 'policy'; readonly file: string; readonly sha256: string }
  | { readonly kind: 'tool'; readonly version: string };

export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  readonly patches: readonly DocumentPatch[];
  /** Unified diff, as `git show` prints it for this file. */
  readonly diff: string;
}

export type Action =
  | { readonly id: string; readonly kind: 'create-branch'; readonly repo: string; readonly branch: string; readonly from: string }
  | {
      readonly id: string;
      readonly kind: 'commit';
      readonly repo: string;
      readonly branch: string;
      readonly purpose: 'revert' | 'set-previous' | 'suspend-automation' | 'pin-policy';
      readonly parent: string;
      readonly commit: string;
      readonly tree: string;
      readonly message: string;
      readonly author: Person;
      readonly committer: Person;
      readonly changes: readonly FileChange[];
      readonly reverts?: string;
    }
  | { readonly id: string; readonly kind: 'push'; readonly repo: string; readonly remote: string; readonly refs: readonly { readonly ref: string; readonly sha: string }[]; readonly runHooks: boolean }
  | { readonly id: string; readonly kind: 'open-pull-request'; readonly repo: string; readonly head: string; readonly base: string; readonly title: string };

export interface DeployedSummary {
  readonly environment: string;
  readonly image: string;
  readonly configRepo: string;
  readonly configBranch: string;
  readonly configFile: string;
  readonly deployingCommit: { readonly sha: string; readonly subject: string; readonly date: string };
  readonly cluster?: { readonly image: string; readonly digest?: string; readonly source: 'kubectl' | 'file'; readonly health: string };
}

export interface PlanBody {
  readonly formatVersion: string;
  readonly tool: { readonly name: 'hotfix'; readonly version: string };
  readonly createdAt: string;
  readonly policy: { readonly name: string; readonly file: string };
  readonly request: PlanRequest;
  /** Repository name → path or URL as bound with --repo. */
  readonly repos: Readonly<Record<string, string>>;
  readonly deployed: DeployedSummary;
  readonly target: { readonly image: string; readonly deployedBy?: { readonly sha: string; readonly subject: string; readonly date: string } };
  readonly preconditions: readonly Precondition[];
  readonly actions: readonly Action[];
  readonly diagnostics: readonly Diagnostic[];
  /** Things for a human to know: how to reproduce the bad version, what to do next. */
  readonly notes: readonly string[];
}

export interface Plan extends PlanBody {
  /** sha256 of the canonical JSON of the body (everything but this field). */
  readonly id: string;
}
