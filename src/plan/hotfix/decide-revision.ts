import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RevisionAnswer } from '../../state/hotfix/revision-answers.js';

export interface RevisionDecision {
  readonly commit: string;
  readonly decidedBy: RevisionAnswer;
  readonly agreeing: readonly RevisionAnswer[];
  /** Sources that could not be consulted: shown as checks not made. */
  readonly notChecked: readonly RevisionAnswer[];
}

/**
 * The deployed commit from the sources' answers, in the policy's order: the first that
 * names a commit decides, every other that names one must agree. Pure.
 */
export function decideRevision(answers: readonly RevisionAnswer[]): RevisionDecision | { readonly errors: readonly Diagnostic[] } {
  const missing = answers.filter((a) => a.missing);
  if (missing.length > 0) return { errors: missing.map((a) => diagnostic('HF215', `${a.detail} names commit ${a.missing}, which is not in the app repository${a.missing!.length < 40 ? ' (or is the start of more than one commit there)' : ''}`)) };
  const named = answers.filter((a) => a.commit);
  const [first, ...rest] = named;
  if (!first) return { errors: [diagnostic('HF337', `no source named the deployed commit: ${answers.map((a) => `${a.source}: ${a.unavailable}`).join('; ')}`)] };
  const disagreeing = rest.filter((a) => a.commit !== first.commit);
  if (disagreeing.length > 0)
    return { errors: [diagnostic('HF336', `${first.detail} names ${first.commit!.slice(0, 7)} but ${disagreeing.map((a) => `${a.detail} names ${a.commit!.slice(0, 7)}`).join(', ')}`)] };
  return { commit: first.commit!, decidedBy: first, agreeing: rest, notChecked: answers.filter((a) => !a.commit) };
}
