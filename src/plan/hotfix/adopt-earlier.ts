import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { matchTemplate, placeholdersOf, renderTemplate, type TemplateValues } from '../../policy/template.js';
import type { EarlierHotfix, EarlierHotfixes } from '../../state/hotfix/earlier-hotfix.js';
import { shellWord } from '../shell-word.js';

/** A hotfix branch (and tag) an earlier apply made, taken as this plan's. */
export interface Adopted {
  readonly branch: string;
  readonly tip: string;
  /** The {date} its names were rendered with: the earlier apply's day. */
  readonly date: string;
  readonly tag?: { readonly name: string; readonly object: string };
  /** Merge-back branches that already hold its tip. */
  readonly mergedInto: readonly string[];
  readonly note: string;
}

export interface AdoptionInput {
  readonly earlier: EarlierHotfixes;
  readonly branchTemplate: string;
  readonly tagTemplate?: string;
  /** The values this plan renders names with, {date} being today. */
  readonly values: TemplateValues;
  readonly base: string;
  readonly picks: ReadonlyArray<{ readonly sha: string; readonly subject: string }>;
  /** The tree after each pick. */
  readonly trees: readonly string[];
  readonly repo: { readonly repoName: string; readonly tags: readonly string[] };
}

/**
 * Whether an existing branch is this hotfix, made before: named by the branch template with
 * this plan's values on some day (the {date} is the only free part, so a re-plan the next
 * day finds it), cut from the deployed commit, holding one commit per pick, in order, each
 * with the planned tree or the pick's patch-id, and at its tip the picks' tree (which
 * merge-backs and the image are planned from), its tag (rendered with its day) absent or at its
 * tip. The branch today's name gives wins; then the newest day. One that has today's name
 * and differs is HF312, saying how and what to run. Undefined: nothing to adopt. Pure.
 */
export function adoptEarlier(input: AdoptionInput): Adopted | Diagnostic | undefined {
  const today = renderTemplate(input.branchTemplate, input.values);
  const ours = input.earlier.branches.flatMap((b) => {
    const date = matchTemplate(input.branchTemplate, b.branch)?.date ?? input.values.date!;
    return renderTemplate(input.branchTemplate, { ...input.values, date }) === b.branch ? [{ b, date, differs: difference(b, input) }] : [];
  });
  const same = ours.filter((o) => o.differs === undefined).sort((x, y) => Number(y.b.branch === today) - Number(x.b.branch === today) || y.date.localeCompare(x.date));
  const chosen = same[0];
  if (!chosen) {
    const named = ours.find((o) => o.b.branch === today);
    return named ? diagnostic('HF312', `hotfix branch ${today} already exists in ${input.repo.repoName} and is not this hotfix: ${named.differs}; ${nextSteps(input, named.b.branch)}`) : undefined;
  }
  const { b, date } = chosen;
  const tagName = input.tagTemplate === undefined ? undefined : renderTemplate(input.tagTemplate, { ...input.values, date });
  const tag = b.tags.find((t) => t.name === tagName);
  if (tagName !== undefined && !tag && input.repo.tags.includes(tagName))
    return diagnostic('HF312', `hotfix tag ${tagName} already exists in ${input.repo.repoName}, but not at ${b.tip.slice(0, 7)}, the tip of ${b.branch}, which is this hotfix made before; see where it points with git show --no-patch ${shellWord(tagName)}, and if an abandoned attempt made it, delete it with git tag -d ${shellWord(tagName)} and plan again`);
  const pairs = b.commits!.map((c, i) => `${input.picks[i]!.sha.slice(0, 7)} as ${c.sha.slice(0, 7)}`).join(', ');
  const merged = b.mergedInto.length > 0 ? ` ${b.mergedInto.join(' and ')} already ${b.mergedInto.length === 1 ? 'holds' : 'hold'} its tip, so it is not merged into ${b.mergedInto.length === 1 ? 'it' : 'them'} again.` : '';
  const note =
    `Adopts ${b.branch} at ${b.tip.slice(0, 7)}${tag ? ` and its tag ${tag.name}` : ''}, made before (by an earlier or interrupted apply): it starts at the deployed commit ${input.base.slice(0, 7)} and carries exactly the picks, compared by git patch-id --stable (${pairs}), ` +
    `so this plan makes neither again and goes on from its tip; apply checks that it is still there.${merged}`;
  return { branch: b.branch, tip: b.tip, date, ...(tag ? { tag } : {}), mergedInto: b.mergedInto, note };
}

/** How an existing branch differs from the hotfix this plan would make; undefined when it does not. */
function difference(b: EarlierHotfix, input: AdoptionInput): string | undefined {
  const base = input.base.slice(0, 7);
  if (b.fork !== input.base) return b.fork ? `it forks from ${b.fork.slice(0, 7)}, not from the deployed commit ${base}` : `it shares no history with the deployed commit ${base}`;
  const commits = b.commits ?? [];
  if ((b.merges ?? 0) > 0) return `it has ${b.merges} merge commit${b.merges === 1 ? '' : 's'} after the deployed commit ${base}`;
  if (commits.length !== input.earlier.planned.length)
    return `it has ${commits.length} commit${commits.length === 1 ? '' : 's'} after the deployed commit ${base}${commits.length > 0 ? ` (${commits.map((c) => c.sha.slice(0, 7)).join(', ')})` : ''}, and this plan picks ${input.earlier.planned.length}`;
  // The commit an apply makes has the planned tree; one picked by hand, the pick's patch-id.
  const at = commits.findIndex((c, i) => c.tree !== input.trees[i] && c.patchId !== input.earlier.planned[i]);
  if (at >= 0) {
    const [c, pick] = [commits[at]!, input.picks[at]!];
    return `its commit ${at + 1} after ${base}, ${c.sha.slice(0, 7)} "${c.subject}", is not the change of pick ${at + 1}, ${pick.sha.slice(0, 7)} "${pick.subject}" (git patch-id --stable ${c.patchId?.slice(0, 12) ?? 'none'}, not ${input.earlier.planned[at]?.slice(0, 12) ?? 'none'})`;
  }
  const tree = input.trees.at(-1)!;
  if (b.tree !== tree) return `its commits have the picks' patch-ids, but its tree ${b.tree.slice(0, 7)} is not the picks' ${tree.slice(0, 7)} (a patch-id ignores whitespace)`;
  return undefined;
}

/** The commands for a person: look, then delete an abandoned attempt or keep it under another name. */
function nextSteps(input: AdoptionInput, branch: string): string {
  const tag = input.tagTemplate === undefined ? undefined : renderTemplate(input.tagTemplate, input.values);
  const deleteTag = tag !== undefined && input.repo.tags.includes(tag) ? ` and its tag with git tag -d ${shellWord(tag)}` : '';
  const keep = placeholdersOf(input.branchTemplate).includes('version') ? 'pass another --version' : 'change hotfix.branch';
  return `compare it with git log --oneline ${input.base.slice(0, 7)}..${shellWord(branch)}; if an abandoned attempt made it, delete it with git branch -D ${shellWord(branch)}${deleteTag} and plan again, or, to keep it, ${keep}`;
}
