import safeRegex from 'safe-regex2';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { allowsPlaceholder, namesCommit, placeholdersOf } from '../template.js';
import { tagFormatFindings } from './tag-format.js';
import { memoize } from './memoize.js';
import type { Rule } from './rule.js';

/** Each way of finding the deployed commit must have what it needs to work. */
export const revisionSourceRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  const { app } = policy.spec;
  const sources = app.revisionFrom;

  const pattern = app.gitTagPattern === undefined ? undefined : readTagPattern(app.gitTagPattern);
  if (pattern?.error !== undefined) out.push(report('HF123', `app.gitTagPattern does not compile: ${pattern.error}`, ['spec', 'app', 'gitTagPattern']));
  else if (pattern?.unsafe)
    out.push(report('HF134', `app.gitTagPattern "${app.gitTagPattern}" repeats a group that itself repeats (or has more than 25 repetitions), so matching a tag name may take exponential time`, ['spec', 'app', 'gitTagPattern']));

  out.push(...tagFormatFindings(policy, report));

  const names = placeholdersOf(app.tagFormat);
  if (sources.includes('tag') && names.every((name) => allowsPlaceholder('tagFormat', name))) {
    const versionViaGitTag = names.includes('version') && sources.includes('gitTag');
    if (!names.some(namesCommit) && !versionViaGitTag)
      out.push(report('HF130', `revisionFrom lists "tag", but tagFormat "${app.tagFormat}" has no {sha}, {sha7} or other {shaN}, so a tag cannot name a commit`, ['spec', 'app', 'tagFormat']));
  }

  if (sources.includes('gitTag')) {
    const at = ['spec', 'app', 'revisionFrom', sources.indexOf('gitTag')];
    if (app.gitTagPattern === undefined) out.push(report('HF130', 'revisionFrom lists "gitTag", but app.gitTagPattern is not set', at));
    else if (pattern?.error === undefined && !app.gitTagPattern.includes('(?<version>'))
      out.push(report('HF130', 'app.gitTagPattern has no named group (?<version>...), so a git tag cannot be matched to an image tag', ['spec', 'app', 'gitTagPattern']));
  } else if (app.gitTagPattern !== undefined) {
    out.push(report('HF133', 'app.gitTagPattern is set but revisionFrom does not list "gitTag", so it is never used', ['spec', 'app', 'gitTagPattern'], 'key'));
  }
  return out;
};

interface TagPattern {
  /** Why it does not compile, if it does not. */
  readonly error?: string;
  readonly unsafe?: boolean;
}

/**
 * The pattern runs against every tag name of the app repository, which anyone who can push
 * a tag chooses: one name can make a backtracking pattern run for hours.
 */
const readTagPattern = memoize((source: string): TagPattern => {
  try {
    new RegExp(source);
  } catch (error) {
    return { error: (error as Error).message.replace(/^Invalid regular expression: /, '') };
  }
  return { unsafe: !safeRegex(withoutLookbehind(source)) };
});

/**
 * safe-regex2's parser does not know lookbehind, and calls what it cannot parse unsafe; as
 * a lookahead the group has the same repetitions, which are all the check counts.
 */
function withoutLookbehind(source: string): string {
  return source.replace(/\(\?<([=!])/g, '(?$1');
}
