import type { ImageField } from '../patch/image-field.js';

/**
 * The facts a plan relies on, as plain serialisable data: everything `plan/` needs, so a
 * plan can be made (and re-made in tests) from a recorded state with no I/O.
 */
export interface Person {
  readonly name: string;
  readonly email: string;
  /** ISO 8601 with offset, as git prints it (%aI). */
  readonly date: string;
}

export interface CommitInfo {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly subject: string;
  readonly author: Person;
  readonly committer: Person;
}

export interface TreeEntry {
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  readonly name: string;
}

/** A file at a revision, with the trees along its path (root first) so new ids can be computed. */
export interface FileAtRevision {
  readonly path: string;
  readonly blob: string;
  readonly text: string;
  /** Tree entries of each directory on the path at the revision: '' is the root. */
  readonly trees: Readonly<Record<string, readonly TreeEntry[]>>;
}

/** One image value and the commit that made it the deployed one. */
export interface Deployment {
  /** The value as an image reference (`name:tag@digest`). */
  readonly image: string;
  /** The commit that changed the value: inside a merged pull request, its commit. */
  readonly commit: CommitInfo;
  /** The merge on the branch's first-parent line that brought `commit` in, when that is another commit: when it was deployed. */
  readonly landed?: CommitInfo;
  /** Commits this deployment's message says it rolls back (`This reverts commit …`). */
  readonly rollsBack?: readonly string[];
  /** The later deployment that rolled this one back. */
  readonly rolledBackBy?: string;
}

/** Where a walk of a config file's history stopped, and what it stepped over. */
export interface HistoryWalkEnd {
  /** first-commit: the file's first commit; not-declared: a commit before which the file did not declare the image; limit: enough deployments were read. */
  readonly kind: 'first-commit' | 'not-declared' | 'limit';
  readonly commit?: string;
  /** Revisions of the file that did not parse (a broken commit fixed by a later one), stepped over. */
  readonly skipped: readonly { readonly sha: string; readonly subject: string; readonly reason: string }[];
}

export interface ClusterState {
  readonly source: 'kubectl' | 'file';
  readonly workload: string;
  readonly container: string;
  readonly image: string;
  readonly digest?: string;
  readonly health: {
    readonly generation?: number;
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updated?: number;
    readonly ready?: number;
    readonly available?: number;
  };
}

/** A remote a plan pushes to, and the URLs git would push to for it (none: no such remote). */
export interface PushRemote {
  readonly name: string;
  readonly urls: readonly string[];
  /** The branches the remote has and their tips (git ls-remote --heads), read where the policy pushes commits for review to branches of their own. */
  readonly branches?: Readonly<Record<string, string>>;
}

/** A Flux object found in the config repository. */
export interface FluxObject {
  readonly kind: 'ImageUpdateAutomation' | 'ImagePolicy' | 'ImageRepository';
  readonly namespace: string;
  readonly name: string;
  readonly file: string;
  readonly document: number;
  readonly suspended: boolean;
  /** ImageUpdateAutomation: spec.update.path; ImagePolicy: spec.imageRepositoryRef.name; ImageRepository: spec.image. */
  readonly target?: string;
  /** ImageUpdateAutomation: the branch it pushes to. */
  readonly branch?: string;
  /** ImageUpdateAutomation: spec.update.strategy (Flux knows only Setters, its default). */
  readonly strategy?: string;
  /** Whether metadata.namespace is written in the file (else a kustomization may set it). */
  readonly namespaced?: boolean;
  /** ImagePolicy: how it selects a tag. */
  readonly selection?: TagSelection;
}

/** An ImagePolicy's spec.filterTags and spec.policy, as written. */
export interface TagSelection {
  readonly pattern?: string;
  readonly extract?: string;
  readonly semverRange?: string;
  readonly numerical?: 'asc' | 'desc';
  readonly alphabetical?: 'asc' | 'desc';
}

/** A Kubernetes object that carries image automation settings in its annotations or spec. */
export interface AnnotatedObject {
  readonly file: string;
  readonly document: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** Argo CD Application: metadata.labels (an ImageUpdater's labelSelectors read them). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Workloads and HelmReleases: container name → image, as the file writes them. */
  readonly containers: Readonly<Record<string, string>>;
  /** Argo CD Application: spec.source (or the first of spec.sources). */
  readonly source?: { readonly repoURL?: string; readonly path?: string; readonly targetRevision?: string };
  /** Argo CD Image Updater ImageUpdater, Argo CD ApplicationSet: spec, as plain data. */
  readonly spec?: unknown;
  /** An Application an ApplicationSet makes (file and document are the set's): its template, not this object, is what git holds. */
  readonly madeBy?: {
    readonly name: string;
    readonly namespace?: string;
    /** Made once per cluster secret a clusters generator selects (its selector, as written): the references to cluster values stay as written. */
    readonly perCluster?: string;
  };
  /** An ApplicationSet whose Applications cannot be known from the repository: why. */
  readonly unexpanded?: string;
}

/** A kustomization file and what it combines. */
export interface KustomizationFile {
  readonly file: string;
  /** resources, bases, components: paths relative to the file's directory. */
  readonly resources: readonly string[];
  /** patches, patchesStrategicMerge, patchesJson6902: files relative to the file's directory. */
  readonly patches: readonly string[];
  /**
   * Inline or file patches, in the order kustomize applies them: the target kind and name,
   * whether the patch sets spec.filterTags or spec.policy, and, for a patch file, the
   * document and its value (a strategic merge patch, or a JSON 6902 list of operations).
   */
  readonly targets: readonly KustomizePatch[];
  readonly namespace?: string;
}

export interface KustomizePatch {
  /** A patch's target fields are regular expressions (kustomize anchors them); a patch file's object names itself. */
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly file?: string;
  readonly setsSelection: boolean;
  readonly document?: number;
  readonly body?: unknown;
}

/** An ImagePolicy as `kubectl kustomize` renders it, where a kustomize patch sets its selection. */
export type RenderedPolicy = { readonly namespace: string; readonly name: string; readonly dir: string } & ({ readonly selection: TagSelection } | { readonly error: string });

/** What the config repository says about the engines that may write it, at head. */
export interface AutomationScan {
  /** Every `$imagepolicy` marker: its file, line and reference (`ns:name` or `ns:name:tag`…). */
  readonly markers: readonly { readonly file: string; readonly line: number; readonly policy: string }[];
  readonly annotated: readonly AnnotatedObject[];
  readonly kustomizations: readonly KustomizationFile[];
  /** Argo CD write-back files: `.argocd-source-<app>.yaml` (Argo CD Image Updater's), and `.argocd-source.yaml`, which every Application of its directory reads. */
  readonly writeBackFiles: readonly string[];
  /** Configuration files of pull-request bots (Renovate, Dependabot, release bots). */
  readonly botFiles: readonly string[];
  /** The ImagePolicies a rollback may pin whose selection a kustomize patch sets, as rendered. */
  readonly rendered?: readonly RenderedPolicy[];
}

export interface RollbackState {
  readonly repoName: string;
  readonly repoPath: string;
  readonly branch: string;
  readonly head: string;
  /** Where head was read: the local branch, else (a CI runner's fresh clone) the push remote's remote-tracking branch. */
  readonly ref: string;
  readonly config: FileAtRevision;
  /** Newest first: [0] is deployed now. */
  readonly deployments: readonly Deployment[];
  /** Whether the history walk reached the file's first commit. */
  readonly historyComplete: boolean;
  readonly historyEnd?: HistoryWalkEnd;
  /** The deploying commit's view of the change: `parentText` is the file on the branch before it landed. */
  readonly deploying: {
    readonly changedFiles: readonly string[];
    readonly parentText?: string;
    readonly commitText: string;
    /** Where `commitText` declares the image, as the history walk read it (null: it does not); absent: not read, so the plan reads it. */
    readonly commitFields?: readonly ImageField[] | null;
  };
  readonly cluster?: ClusterState;
  /** The ImageUpdateAutomations at head, and the ImagePolicies a rollback may pin (named by the policy or a marker in the config file). */
  readonly flux: readonly FluxObject[];
  /** Files holding automation objects the plan may patch (Flux, annotated workloads, Argo CD Applications), at head. */
  readonly fluxFiles: Readonly<Record<string, FileAtRevision>>;
  readonly automation: AutomationScan;
  /** The repository's local branch and tag names, which a new branch must not clash with. */
  readonly refs: LocalRefNames;
  readonly remotes: readonly string[];
  /** The remote the policy pushes to, when it pushes. */
  readonly pushRemote?: PushRemote;
}

/** A repository's local branches and tags by short name (refs/heads/…, refs/tags/…). */
export interface LocalRefNames {
  readonly branches: readonly string[];
  readonly tags: readonly string[];
}
