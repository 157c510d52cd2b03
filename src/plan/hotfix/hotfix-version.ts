import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Policy } from '../../policy/types.js';
import { shellWord } from '../shell-word.js';

/**
 * Without --version a name's {version} is the deployed one: a tag rendered with it that
 * exists already is, in all likelihood, the deployed release's own tag (the git tag the
 * version was read from), not a hotfix made before. Say that, and which flag is missing.
 */
export function deployedVersionTaken(template: string, tag: string, deployedVersion: string, repo: string): Diagnostic {
  const next = nextPatch(deployedVersion);
  return diagnostic(
    'HF341',
    `hotfix tag "${template}" needs the hotfix's own version: without --version, {version} is the deployed version ${deployedVersion}, and ${tag} already exists in ${repo} (likely the deployed release's own tag); pass --version${next ? `, such as --version ${next}` : ''}, or, if an abandoned attempt made that tag, delete it with git tag -d ${shellWord(tag)} and plan again`,
  );
}

/** 1.4.0 → 1.4.1: the version a hotfix of a semantic version usually takes. */
function nextPatch(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : undefined;
}

/**
 * A --version the policy's release tags could not carry: status, check release and later
 * hotfixes read a running image's commit from the git tag whose `version` group is its
 * version, and no tag matching gitTagPattern has this one in that group. Pure.
 */
export function versionPatternFindings(policy: Policy, version: string | undefined): Diagnostic[] {
  const pattern = policy.spec.app.gitTagPattern;
  if (version === undefined || pattern === undefined) return [];
  const group = versionGroupSource(pattern);
  // A backreference names a group outside: the group alone cannot be tried.
  if (group === undefined || /\\(?:k<|[1-9])/.test(group)) return [];
  let whole: RegExp;
  try {
    whole = new RegExp(`^(?:${group})$`);
  } catch {
    return []; // a group read wrong, as after an escaped "\(": no finding rather than a false one
  }
  if (whole.test(version)) return [];
  return [
    diagnostic(
      'HF362',
      `--version ${version} does not match the version group (?<version>${group}) of app.gitTagPattern "${pattern}": a release tag of it would not be read as one, so the commit of the hotfix image could not be found from a git tag (revisionFrom gitTag); pass a version of that form, or widen the pattern`,
    ),
  ];
}

/** The source inside gitTagPattern's `(?<version>…)`, up to its closing parenthesis. */
export function versionGroupSource(pattern: string): string | undefined {
  const open = '(?<version>';
  const start = pattern.indexOf(open);
  if (start < 0) return undefined;
  let depth = 1;
  let inClass = false;
  for (let i = start + open.length; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return pattern.slice(start + open.length, i);
  }
  return undefined;
}
