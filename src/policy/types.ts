/**
 * The typed policy, as `validatePolicy` returns it: schema-valid, with the schema's
 * defaults filled in. Mirrors schemas/policy.schema.json, which is the reference.
 */
export type RevisionSource = 'label' | 'tag' | 'gitTag';
export type HotfixReason = 'security' | 'critical-bug' | 'compliance' | 'data-loss' | 'payment';

export interface Policy {
  readonly apiVersion: 'hotfix.dev/v1alpha1';
  readonly kind: 'HotfixPolicy';
  readonly metadata: { readonly name: string; readonly description?: string; readonly owners?: readonly string[] };
  readonly spec: {
    readonly app: AppSpec;
    readonly environments: readonly Environment[];
    readonly git?: GitSpec;
    readonly hotfix?: HotfixSpec;
    readonly rollback?: RollbackSpec;
  };
}

export interface AppSpec {
  readonly repo: string;
  readonly mainline: string;
  readonly image: string;
  readonly tagFormat: string;
  readonly revisionFrom: readonly RevisionSource[];
  readonly revisionLabel: string;
  readonly gitTagPattern?: string;
}

export interface Environment {
  readonly name: string;
  readonly order?: number;
  readonly config: ConfigLocation;
  readonly cluster?: ClusterRef;
  readonly automation?: AutomationSpec;
  readonly baselineFor?: string;
  readonly baseline?: { readonly match: 'image' | 'time'; readonly ifMissing: 'refuse' | 'current'; readonly branch: string };
}

export interface ConfigLocation {
  readonly repo: string;
  readonly branch: string;
  readonly file: string;
  readonly locator: Locator;
  readonly digest: 'keep' | 'update' | 'drop';
  /** How a hotfix's deploy commit reaches the branch, when not as git.via says. */
  readonly via?: Via;
  readonly render?: string;
}

/** `pull-request`: the commit goes to a branch of its own, for review, instead of to a protected branch. */
export type Via = 'push' | 'pull-request';

/** Exactly one key is set (the schema enforces it). */
export interface Locator {
  readonly kustomizeImage?: string;
  readonly fluxImagePolicy?: string;
  readonly yamlPath?: { readonly path: string; readonly document: number; readonly holds: 'image' | 'tag' };
  readonly helmValues?: { readonly tag: string; readonly repository?: string; readonly registry?: string; readonly digest?: string };
  readonly manifest?: { readonly container: string; readonly kind?: string; readonly name?: string };
  readonly typescript?: { readonly export: string; readonly path: string; readonly holds: 'image' | 'tag' };
}

export interface ClusterRef {
  readonly context?: string;
  readonly namespace: string;
  readonly workload: string;
  readonly container: string;
}

/** The engines whose image automation a rollback plan detects and counters. */
export type AutomationEngine = 'flux' | 'flux-v1' | 'argocd-image-updater';
export type OnRollback = 'warn' | 'suspend' | 'pin';

/** Either the engine-neutral form (all optional: engines are detected) or the older `flux:` form. */
export interface AutomationSpec {
  readonly engine?: AutomationEngine;
  /** The engine's object: `ns/name` (Flux ImageUpdateAutomation, Argo CD Application or ImageUpdater), `ns:kind/name` (Flux v1 workload). */
  readonly object?: string;
  readonly onRollback?: OnRollback;
  readonly flux?: FluxAutomation;
}

export interface FluxAutomation {
  readonly imageUpdateAutomation: string;
  readonly imagePolicy?: string;
  readonly onRollback: OnRollback;
}

export interface GitSpec {
  readonly remote: string;
  readonly push: boolean;
  readonly allowHooks: boolean;
  readonly via: Via;
  /** Templates of the branches a deploy commit and a merge-back go to with via pull-request. */
  readonly deployBranch: string;
  readonly mergeBackBranch: string;
  readonly author?: { readonly name: string; readonly email: string };
}

export interface HotfixSpec {
  readonly reasons: readonly HotfixReason[];
  readonly base: 'deployed';
  readonly branch: string;
  readonly tag?: string;
  /** The tag CI gives the image of the hotfix branch; `app.tagFormat` when absent. */
  readonly imageTag?: string;
  readonly maxCommits: number;
  readonly maxChangedFiles?: number;
  /** Approving reviews `apply --pr` requires of the plan's pull request. */
  readonly approvals: number;
  readonly requiredChecks?: readonly string[];
  readonly checks?: ChecksSource;
  readonly bypass?: readonly string[];
  readonly release?: string;
  readonly mergeBack?: readonly string[];
  /** Codes of this section's rules `--override` may lift (src/policy/overridable-rules.ts). */
  readonly overridable?: readonly string[];
}

/** Where apply reads the required checks of the hotfix head (schema: hotfix.checks). */
export interface ChecksSource {
  readonly forge: 'github' | 'gitlab';
  /** `OWNER/REPO` on GitHub; the project's full path on GitLab. */
  readonly repository: string;
  /** GitHub: only check runs of this GitHub App count. */
  readonly appId?: number;
  /** Whether `apply --check NAME` may stand in for a check, as a recorded attestation. */
  readonly manual: 'allow' | 'refuse';
}

export interface RollbackSpec {
  readonly method: 'revert' | 'set-previous';
  readonly requireReason: boolean;
  readonly maxSteps?: number;
  readonly maxAge?: string;
  readonly overridable?: readonly string[];
  readonly approvals: number;
  readonly branch: string;
}
