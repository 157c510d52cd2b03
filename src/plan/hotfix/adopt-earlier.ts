import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { matchTemplate, placeholdersOf, renderTemplate, type TemplateValues } from '../../policy/template.js';
import type { EarlierHotfix, EarlierHotfixes } from '../../state/hotfix/earlier-hotfix.js';
import { shellWord } from '../shell-word.js';

/** A hotfix branch (and tag) an earlier apply made, taken as this plan's. */
export interface Adopted {
  readonly branch: string;
  /** Where it was found: refs/heads/…, or a remote-tracking branch when this clone has no local one (apply creates it). */
  readonly ref: string;
  readonly tip: string;
  /** The {date} its names were rendered with: the earlier apply's day. */
  readonly date: string;
  /** `remoteOnly`: on the push remote, not fetched here, so apply neither pushes nor checks it locally. */
  readonly tag?: { readonly name: string; readonly object: string; readonly remoteOnly?: true };
  /** How many of the picks it holds: fewer than all when an apply stopped between them. */
  readonly picked: number;
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
  /** The push remote's tags (ls-remote), where a fresh clone may not have fetched the earlier run's. */
  readonly remote?: { readonly name: string; readonly tags: Readonly<Record<string, { readonly object: string; readonly commit: string }>> };
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
    return renderTemplate(input.branchTemplate, { ...input.values, date }) === b.branch ? [{ b, date, ...match(b, input) }] : [];
  });
  const same = ours.filter((o) => o.differs === undefined).sort((x, y) => Number(y.b.branch === today) - Number(x.b.branch === today) || y.date.localeCompare(x.date));
  const chosen = same[0];
  if (!chosen) {
    const named = ours.find((o) => o.b.branch === today);
    if (!named) return undefined;
    const where = named.b.ref === `refs/heads/${today}` ? `in ${input.repo.repoName}` : `on the push remote (this clone has it as ${named.b.ref.slice('refs/remotes/'.length)})`;
    return diagnostic('HF312', `hotfix branch ${today} already exists ${where} and is not this hotfix: ${named.differs}; ${nextSteps(input, named.b)}`);
  }
  const { b, date } = chosen;
  const picked = chosen.picked!;
  const tagName = input.tagTemplate === undefined ? undefined : renderTemplate(input.tagTemplate, { ...input.values, date });
  // The tag names the whole hotfix: one at a tip that lacks picks is not this plan's.
  const remoteTag = tagName !== undefined && input.remote && Object.hasOwn(input.remote.tags, tagName) ? input.remote.tags[tagName] : undefined;
  const tag: Adopted['tag'] =
    picked !== input.picks.length ? undefined
    : (b.tags.find((t) => t.name === tagName) ?? (remoteTag?.commit === b.tip && !input.repo.tags.includes(tagName!) ? { name: tagName!, object: remoteTag.object, remoteOnly: true as const } : undefined));
  if (tagName !== undefined && !tag && (input.repo.tags.includes(tagName) || remoteTag)) {
    const here = input.repo.tags.includes(tagName);
    const [where, look, drop] = here
      ? [`in ${input.repo.repoName}`, `git show --no-patch ${shellWord(tagName)}`, `git tag -d ${shellWord(tagName)}`]
      : [`on ${input.remote!.name} (not in this clone)`, `git ls-remote ${shellWord(input.remote!.name)} ${shellWord(`refs/tags/${tagName}`)}`, `git push ${shellWord(input.remote!.name)} --delete ${shellWord(`refs/tags/${tagName}`)}`];
    return diagnostic('HF312', `hotfix tag ${tagName} already exists ${where}, but not at ${b.tip.slice(0, 7)}, the tip of ${b.branch} with ${picked === input.picks.length ? 'every pick' : `${picked} of the ${input.picks.length} picks`}, which this plan adopts; see where it points with ${look}, and if an abandoned attempt made it, delete it with ${drop} and plan again`);
  }
  const pairs = b.commits!.map((c, i) => `${input.picks[i]!.sha.slice(0, 7)} as ${c.sha.slice(0, 7)}`).join(', ');
  const carries =
    picked === input.picks.length
      ? `carries exactly the picks, compared by git patch-id --stable (${pairs}), so this plan makes neither again and goes on from its tip`
      : picked === 0
        ? `holds none of the picks yet, so this plan makes ${input.picks.length === 1 ? 'the pick' : `all ${input.picks.length} picks`} on it`
        : `carries the first ${picked} of the ${input.picks.length} picks, compared by git patch-id --stable (${pairs}), so this plan picks only the rest onto it`;
  const merged = b.mergedInto.length > 0 ? ` ${b.mergedInto.join(' and ')} already ${b.mergedInto.length === 1 ? 'holds' : 'hold'} its tip, so it is not merged into ${b.mergedInto.length === 1 ? 'it' : 'them'} again.` : '';
  const local = b.ref === `refs/heads/${b.branch}`;
  const found = local ? '' : ` (this clone has it only as ${b.ref.slice('refs/remotes/'.length)}, so apply creates the local branch there${tag?.remoteOnly ? `; the tag is on the push remote only, checked there` : ''})`;
  const note =
    `Adopts ${b.branch} at ${b.tip.slice(0, 7)}${tag ? ` and its tag ${tag.name}` : ''}, made before (by an earlier or interrupted apply)${found}: it starts at the deployed commit ${input.base.slice(0, 7)} and ${carries}; apply checks that it is still there.${merged}`;
  return { branch: b.branch, ref: b.ref, tip: b.tip, date, ...(tag ? { tag } : {}), picked, mergedInto: b.mergedInto, note };
}

/**
 * How many picks an existing branch holds of the hotfix this plan would make (all, or the
 * first ones with the planned tree after them, where an apply stopped between picks, so
 * the rest are planned onto it as they would have been), or how it differs.
 */
function match(b: EarlierHotfix, input: AdoptionInput): { readonly picked: number; readonly differs?: undefined } | { readonly picked?: undefined; readonly differs: string } {
  const differs = (text: string) => ({ differs: text });
  const base = input.base.slice(0, 7);
  if (b.fork !== input.base) return differs(b.fork ? `it forks from ${b.fork.slice(0, 7)}, not from the deployed commit ${base}` : `it shares no history with the deployed commit ${base}`);
  const commits = b.commits ?? [];
  if ((b.merges ?? 0) > 0) return differs(`it has ${b.merges} merge commit${b.merges === 1 ? '' : 's'} after the deployed commit ${base}`);
  if (commits.length > input.earlier.planned.length)
    return differs(`it has ${commits.length} commit${commits.length === 1 ? '' : 's'} after the deployed commit ${base}${commits.length > 0 ? ` (${commits.map((c) => c.sha.slice(0, 7)).join(', ')})` : ''}, and this plan picks ${input.earlier.planned.length}`);
  // The commit an apply makes has the planned tree; one picked by hand, the pick's patch-id.
  const at = commits.findIndex((c, i) => c.tree !== input.trees[i] && c.patchId !== input.earlier.planned[i]);
  if (at >= 0) {
    const [c, pick] = [commits[at]!, input.picks[at]!];
    return differs(`its commit ${at + 1} after ${base}, ${c.sha.slice(0, 7)} "${c.subject}", is not the change of pick ${at + 1}, ${pick.sha.slice(0, 7)} "${pick.subject}" (git patch-id --stable ${c.patchId?.slice(0, 12) ?? 'none'}, not ${input.earlier.planned[at]?.slice(0, 12) ?? 'none'})`);
  }
  if (commits.length === 0) return { picked: 0 };
  // The picks still to make are planned on this tree: a prefix must have it exactly.
  const tree = input.trees[commits.length - 1]!;
  if (b.tree !== tree)
    return differs(`its commits have the picks' patch-ids, but its tree ${b.tree.slice(0, 7)} is not the picks' ${tree.slice(0, 7)} (a patch-id ignores whitespace${commits.length < input.picks.length ? ', and the picks still to make are planned on that tree' : ''})`);
  return { picked: commits.length };
}

/** The commands for a person: look, then delete an abandoned attempt or keep it under another name. */
function nextSteps(input: AdoptionInput, b: EarlierHotfix): string {
  const tag = input.tagTemplate === undefined ? undefined : renderTemplate(input.tagTemplate, input.values);
  const deleteTag = tag !== undefined && input.repo.tags.includes(tag) ? ` and its tag with git tag -d ${shellWord(tag)}` : '';
  const keep = placeholdersOf(input.branchTemplate).includes('version') ? 'pass another --version' : 'change hotfix.branch';
  const local = b.ref === `refs/heads/${b.branch}`;
  // A remote-tracking branch is deleted where it lives: on the remote, whose next fetch prunes it here.
  const tracked = b.ref.slice('refs/remotes/'.length);
  const remote = tracked.slice(0, tracked.length - b.branch.length - 1);
  const drop = local ? `git branch -D ${shellWord(b.branch)}` : `git push ${shellWord(remote)} --delete ${shellWord(`refs/heads/${b.branch}`)} && git fetch --prune ${shellWord(remote)}`;
  return `compare it with git log --oneline ${input.base.slice(0, 7)}..${shellWord(local ? b.branch : tracked)}; if an abandoned attempt made it, delete it with ${drop}${deleteTag} and plan again, or, to keep it, ${keep}`;
}
