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
  readonly commit: CommitInfo;
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
}

export interface RollbackState {
  readonly repoName: string;
  readonly repoPath: string;
  readonly branch: string;
  readonly head: string;
  readonly config: FileAtRevision;
  /** Newest first: [0] is deployed now. */
  readonly deployments: readonly Deployment[];
  /** Whether the history walk reached the file's first commit. */
  readonly historyComplete: boolean;
  /** The deploying commit's view of the change. */
  readonly deploying: {
    readonly changedFiles: readonly string[];
    readonly parentText?: string;
    readonly commitText: string;
  };
  readonly cluster?: ClusterState;
  readonly flux: readonly FluxObject[];
  /** Files holding Flux objects the plan may patch, at head. */
  readonly fluxFiles: Readonly<Record<string, FileAtRevision>>;
  readonly branches: readonly string[];
  readonly remotes: readonly string[];
  /** The remote the policy pushes to, when it pushes. */
  readonly pushRemote?: PushRemote;
}
