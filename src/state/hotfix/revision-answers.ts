import { formatImageRef, parseImageRef } from '../../patch/image-ref.js';
import { commitIn, matchTemplate } from '../../policy/template.js';
import type { AppSpec, RevisionSource } from '../../policy/types.js';
import type { TagRef } from '../git/read.js';
import { tagVersions } from './tag-versions.js';

/** What one way of finding the deployed commit said. */
export interface RevisionAnswer {
  readonly source: RevisionSource;
  /** The full commit id, when the source named one that the app repository has. */
  readonly commit?: string;
  /** What the source said, in words (the label value, the tag part, the git tag). */
  readonly detail: string;
  /** Why the source could not be consulted or gave no answer. */
  readonly unavailable?: string;
  /** A commit id the source named that the app repository does not have. */
  readonly missing?: string;
  /** The release version the source implies (git tags), for {version}. */
  readonly version?: string;
}

export interface RevisionFacts {
  readonly app: AppSpec;
  /** hotfix.imageTag: the tags CI gives builds of a hotfix branch, read back where app.tagFormat does not fit. */
  readonly hotfixTag?: string;
  readonly image: string;
  /** The image's config labels, or why they could not be read. */
  readonly labels: Readonly<Record<string, string>> | { readonly unavailable: string };
  readonly tags: readonly TagRef[];
  /** A commit id or prefix to the full id of a commit in the app repo, or undefined. */
  readonly resolve: (name: string) => Promise<string | undefined>;
}

/** Asks each source in the policy's revisionFrom, in order. */
export async function revisionAnswers(facts: RevisionFacts): Promise<RevisionAnswer[]> {
  const versions = facts.app.gitTagPattern ? tagVersions(facts.app.gitTagPattern, facts.tags.map((t) => t.name)) : undefined;
  const versionOf = (tagName: string) => versions?.get(tagName);
  /** The release version of a commit, from a git tag on it. */
  const versionAt = (commit: string) => facts.tags.map((t) => (t.commit === commit ? versionOf(t.name) : undefined)).find(Boolean);
  const named = async (source: RevisionSource, detail: string, name: string): Promise<RevisionAnswer> => {
    if (!/^[0-9a-f]{4,40}$/.test(name)) return { source, detail, unavailable: `"${name}" is not a commit id` };
    const commit = await facts.resolve(name);
    if (!commit) return { source, detail, missing: name };
    const version = versionAt(commit);
    return { source, detail, commit, ...(version ? { version } : {}) };
  };
  const ref = parseImageRef(facts.image);
  const tag = ref.tag ?? '';
  // A hotfix build runs under hotfix.imageTag's form, a mainline build under tagFormat's.
  const formats = [facts.app.tagFormat, ...(facts.hotfixTag !== undefined ? [facts.hotfixTag] : [])];
  const tagValues = formats.map((format) => matchTemplate(format, tag)).find((values) => commitIn(values) !== undefined || values?.version !== undefined);
  const described = formats.map((f) => `"${f}"`).join(' or ');
  const out: RevisionAnswer[] = [];
  for (const source of facts.app.revisionFrom) {
    if (source === 'label') {
      if ('unavailable' in facts.labels) {
        out.push({ source, detail: 'image label', unavailable: String(facts.labels.unavailable) });
        continue;
      }
      const value = (facts.labels as Record<string, string>)[facts.app.revisionLabel];
      if (!value) out.push({ source, detail: `label ${facts.app.revisionLabel}`, unavailable: `${formatImageRef(ref)} has no ${facts.app.revisionLabel} label` });
      else out.push(await named(source, `label ${facts.app.revisionLabel}=${value}`, value));
    } else if (source === 'tag') {
      const sha = commitIn(tagValues);
      if (!sha) out.push({ source, detail: `tag ${tag}`, unavailable: `tag "${tag}" does not match ${facts.hotfixTag !== undefined ? 'tagFormat or hotfix.imageTag' : 'tagFormat'} ${described} with a commit in it` });
      else out.push(await named(source, `tag ${tag}`, sha));
    } else {
      const version = tagValues?.version ?? tag;
      const match = facts.tags.find((t) => versionOf(t.name) === version);
      if (!match) out.push({ source, detail: 'git tag', unavailable: `no git tag matching ${facts.app.gitTagPattern ?? '(no gitTagPattern)'} has version "${version}"` });
      else out.push({ source, detail: `git tag ${match.name}`, commit: match.commit, version });
    }
  }
  return out;
}
