import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocumentPatch } from '../patch/patch-yaml.js';
import type { ChecksSource } from '../policy/types.js';
import type { Person } from '../state/types.js';
import type { PolicyRenderSpec, RenderSpec } from './render-spec.js';

/** Major bumps are rejected by apply (HF403); minor bumps only add fields, which older readers ignore (README: Plan format versions says which minor added what). */
export const PLAN_FORMAT_VERSION = '2.0';

export interface RollbackRequest {
  readonly kind: 'rollback';
  readonly environment: string;
  readonly reason?: string;
  readonly to?: string;
  readonly allowDrift: boolean;
  /** Codes of the policy's overridable rules to lift for this plan (--override), with --reason. */
  readonly overrides?: readonly string[];
}

export interface HotfixRequest {
  readonly kind: 'hotfix';
  readonly environment: string;
  readonly reason: string;
  readonly picks: readonly string[];
  readonly version?: string;
  /** The image taken as deployed when given on the command line (--deployed). */
  readonly deployed?: string;
  readonly overrides?: readonly string[];
}

export type PlanRequest = RollbackRequest | HotfixRequest;

/** Facts apply re-checks before it writes anything. */
export type Precondition =
  | { readonly kind: 'ref'; readonly repo: string; readonly ref: string; readonly sha: string | null }
  | { readonly kind: 'blob'; readonly repo: string; readonly commit: string; readonly path: string; readonly blob: string }
  /** The remote a push goes to still resolves to the URL the plan shows (and apply pushes to). */
  | { readonly kind: 'remote'; readonly repo: string; readonly remote: string; readonly url: string }
  /** A branch or tag on the remote at `url` (git ls-remote): null, absent, as a branch the plan pushes for review must be; a tag object for an adopted hotfix tag a fresh clone has not fetched. */
  | { readonly kind: 'remote-ref'; readonly repo: string; readonly url: string; readonly ref: string; readonly sha: string | null }
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

/**
 * A commit of the plan on a shared branch (the config branch, a merge-back branch) that
 * others may move while apply waits at the gate: apply makes it again on the new head only
 * when the reviewed change comes out identical there, and says why in `reason`. Format 1.2
 * (added without a bump: a reader that predates it ignores it and takes the id as exact).
 */
export interface Rederive {
  readonly when: 'if-branch-moves';
  readonly reason: string;
}

export type Action =
  | { readonly id: string; readonly kind: 'create-branch'; readonly repo: string; readonly branch: string; readonly from: string }
  | {
      readonly id: string;
      readonly kind: 'commit';
      readonly repo: string;
      readonly branch: string;
      readonly purpose: 'revert' | 'set-previous' | 'suspend-automation' | 'pin-policy' | 'deploy-hotfix' | 'baseline-config';
      readonly parent: string;
      readonly commit: string;
      readonly tree: string;
      readonly message: string;
      readonly author: Person;
      readonly committer: Person;
      readonly changes: readonly FileChange[];
      readonly reverts?: string;
      /** The kustomize render that must show the intended image after this commit. */
      readonly render?: RenderSpec;
      /** Set when apply may make this commit again on a moved branch head (rederive-rule.ts); otherwise its id is exact. */
      readonly rederive?: Rederive;
      /** A deploy commit whose image tag the gate decides (tag-at-gate.ts): the pattern it writes, and the rule apply follows. */
      readonly tagFromGate?: { readonly gate: string; readonly pattern: string; readonly rule: string };
    }
  | {
      readonly id: string;
      readonly kind: 'cherry-pick';
      readonly repo: string;
      readonly branch: string;
      readonly pick: string;
      readonly parent: string;
      readonly tree: string;
      readonly commit: string;
      readonly message: string;
      readonly author: Person;
      readonly committer: Person;
      readonly files: readonly string[];
      /**
       * What the pick changes on the hotfix branch: the unified diff from `parent`'s tree to
       * `tree`, in the fixed form of treeDiff (src/state/git/tree-diff.ts), which apply can
       * recompute from the two trees. This is the code change reviewers approve.
       */
      readonly diff: string;
    }
  | { readonly id: string; readonly kind: 'tag'; readonly repo: string; readonly tag: string; readonly target: string; readonly object: string; readonly message: string; readonly tagger: Person }
  | {
      readonly id: string;
      readonly kind: 'merge';
      readonly repo: string;
      readonly into: string;
      readonly from: string;
      readonly parents: readonly [string, string];
      /** The merge base the tree was computed from. */
      readonly base: string;
      readonly tree: string;
      readonly commit: string;
      readonly message: string;
      readonly author: Person;
      /** Set when apply may make this merge again on a moved head of `into` (rederive-rule.ts); otherwise its id is exact. */
      readonly rederive?: Rederive;
    }
  | {
      readonly id: string;
      readonly kind: 'gate';
      /** The image that must exist, `name:tag`, with its revision label naming `revision`. */
      readonly image: string;
      readonly label: string;
      readonly revision: string;
      readonly checks: readonly string[];
      /** Where apply reads `checks` for `revision`; absent, only `apply --check NAME` reports them. */
      readonly checksFrom?: ChecksSource;
      /** The tag of `image` with what CI fills only at build time left as written (`main-9f0e2d1-{timestamp}`): apply takes the newest registry tag that fits. */
      readonly tagAtGate?: string;
      /**
       * The tag's template with all but the commit id filled in (`hotfix-{sha7}-1.4.1`): with
       * `revision` it gives the tag (or `tagAtGate`). Where the hotfix head names the image,
       * the plan id sets that tag aside (plan-id.ts), so the picks can carry the plan's id.
       */
      readonly tagFromHead?: string;
    }
  /** Pushes exactly `refs` to `url`, the push URL `remote` resolved to when the plan was made. */
  | { readonly id: string; readonly kind: 'push'; readonly repo: string; readonly remote: string; readonly url: string; readonly refs: readonly { readonly ref: string; readonly sha: string }[]; readonly runHooks: boolean }
  /**
   * Something apply cannot do and a person must: it is shown, never carried out. A merge-back
   * names the branch and the hotfix (base..head), so apply can tell when the person has done it.
   */
  | { readonly id: string; readonly kind: 'manual'; readonly repo: string; readonly title: string; readonly commands: readonly string[]; readonly mergeBack?: { readonly into: string; readonly base: string; readonly head: string } }
  /**
   * A pull request for a person to open once apply has pushed `head`: the rollback branch, or
   * (git.via pull-request) a hotfix's deploy or merge-back commit on a branch of its own.
   * Until it is merged, `base` does not have the change. Its title is the subject of a commit
   * the plan makes on `head`; its body is the plan's words for the reviewer.
   */
  | { readonly id: string; readonly kind: 'open-pull-request'; readonly repo: string; readonly head: string; readonly base: string; readonly title: string; readonly body?: string };

export interface DeployedSummary {
  readonly environment: string;
  readonly image: string;
  readonly configRepo: string;
  readonly configBranch: string;
  readonly configFile: string;
  /** The config commit that deployed the image (rollback plans). */
  readonly deployingCommit?: { readonly sha: string; readonly subject: string; readonly date: string };
  /** The app commit the image was built from, and how that was decided (hotfix plans). */
  readonly appCommit?: { readonly sha: string; readonly subject: string; readonly decidedBy: string; readonly agreeing: readonly string[] };
  readonly cluster?: { readonly image: string; readonly digest?: string; readonly source: 'kubectl' | 'file'; readonly health: string };
}

/** The config a hotfix is tested against (seed 002), and why today's is not used. */
export interface BaselineSummary {
  readonly environment: string;
  readonly forEnvironment: string;
  readonly match: 'image' | 'time';
  /** The commit of the target's config that deployed its running image. */
  readonly targetDeploying: { readonly sha: string; readonly date: string };
  /** Null when none was found and today's config is used. */
  readonly commit: { readonly sha: string; readonly subject: string; readonly date: string } | null;
  readonly branch: string;
  readonly changedSince: readonly { readonly path: string; readonly added: number; readonly removed: number }[];
}

/** A rule of the policy this plan was allowed to break (break-glass), and what it would have refused. */
export interface Override {
  readonly code: string;
  /** The setting the rule enforces: `rollback.maxAge`. */
  readonly rule: string;
  readonly reason: string;
  /** The messages of the findings the override lifted. */
  readonly lifted: readonly string[];
}

export interface PlanBody {
  readonly formatVersion: string;
  /** Format 1.2: present only when the plan lifts rules; every commit it makes carries a Hotfix-Override trailer for each. */
  readonly overrides?: readonly Override[];
  readonly tool: { readonly name: 'hotfix'; readonly version: string };
  /**
   * Format 1.3: the approving reviews `apply --pr` requires of the pull request that carries
   * the plan comment (the policy's rollback.approvals or hotfix.approvals, 0 for none).
   */
  readonly approvals?: number;
  readonly createdAt: string;
  readonly policy: { readonly name: string; readonly file: string };
  readonly request: PlanRequest;
  /** Repository name → path or URL as bound with --repo. */
  readonly repos: Readonly<Record<string, string>>;
  readonly deployed: DeployedSummary;
  readonly target: { readonly image: string; readonly deployedBy?: { readonly sha: string; readonly subject: string; readonly date: string } };
  readonly baseline?: BaselineSummary;
  readonly preconditions: readonly Precondition[];
  readonly actions: readonly Action[];
  readonly diagnostics: readonly Diagnostic[];
  /** Things for a human to know: how to reproduce the bad version, what to do next. */
  readonly notes: readonly string[];
}

export interface Plan extends PlanBody {
  /** sha256 of the canonical JSON of the body (everything but this field), with what names it set aside (plan-id.ts). */
  readonly id: string;
}

/** What a planner needs besides policy and state: the moment and the bindings of this run. */
export interface PlanContext {
  readonly now: string;
  readonly toolVersion: string;
  readonly policyFile: string;
  readonly policyHash: string;
  readonly repos: Readonly<Record<string, string>>;
}

/** A plan, or the findings that refuse it (warnings may come with a plan). */
export type PlanOutcome =
  | { readonly plan: Plan; readonly diagnostics: readonly Diagnostic[]; readonly policyRenders?: readonly PolicyRenderSpec[] }
  | { readonly plan?: undefined; readonly diagnostics: readonly Diagnostic[] };
