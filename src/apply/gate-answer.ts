/** A required check a person stood in for with `apply --check NAME`, as the journal keeps it. */
export interface Attestation {
  readonly action: string;
  readonly checks: readonly string[];
  /** Who ran apply: GITHUB_ACTOR, GITLAB_USER_LOGIN or the OS user, and which it was. */
  readonly by: string;
  readonly at: string;
}

/** What a gate check found: still waiting (and why, under which code), or met, with what a person attested. */
export type GateAnswer =
  | { readonly kind: 'waiting'; readonly code: 'HF410' | 'HF513' | 'HF514'; readonly why: string }
  | { readonly kind: 'met'; readonly attested?: Omit<Attestation, 'action' | 'at'>; readonly tag?: GateTag };

/** The tag a gate that decides one took (tag-at-gate.ts), and every tag of the list that fitted, newest first. */
export interface GateTag {
  readonly chosen: string;
  readonly fitting: readonly string[];
}
