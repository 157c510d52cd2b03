import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { hotfixImageTagTemplate } from '../../policy/hotfix-image-tag.js';
import { knownOnlyAfterBuild } from '../../policy/placeholder-words.js';
import { imageTagProblem, placeholdersOf, renderTemplate, type TemplateValues } from '../../policy/template.js';
import type { Policy } from '../../policy/types.js';

export interface HotfixImageInput {
  /** The plan's template values ({date} …); the commit is the head's, {version} is `version`. */
  readonly values: TemplateValues;
  readonly head: string;
  readonly branch: string;
  /** --version, the hotfix's own; the deployed one, only to say what it is not. */
  readonly version?: string;
  readonly deployedVersion?: string;
}

/**
 * The tag CI gives its build of the hotfix head (hotfix.imageTag, else app.tagFormat), which
 * the gate waits for and the deploy commit writes. It is a new build: {version} there is the
 * hotfix's own version (--version), never the deployed one, or production's config would
 * point at the image it runs. Pure.
 */
export function hotfixImageTag(policy: Policy, input: HotfixImageInput): { readonly tag: string } | Diagnostic {
  const { template, field } = hotfixImageTagTemplate(policy);
  const names = placeholdersOf(template);
  if (input.version === undefined && names.includes('version'))
    return diagnostic('HF341', `${field} "${template}" needs the hotfix's own version for its image: pass --version${input.deployedVersion ? ` (the deployed one is ${input.deployedVersion})` : ''}`);
  const afterBuild = knownOnlyAfterBuild(names);
  if (afterBuild.length > 0)
    return diagnostic(
      'HF370',
      `${field} "${template}" has ${afterBuild.join(' and ')}, known only once CI has built the hotfix image, so this plan cannot name the commit that deploys it (the commit holds the tag); have CI also push a tag made only of what is known before the build ({branch}, {sha}, {shaN}, {version}) and make that the ${field === 'app.tagFormat' ? 'tagFormat, or set hotfix.imageTag to it' : 'hotfix.imageTag'}`,
    );
  const { version: _deployed, ...values } = input.values;
  const own = input.version !== undefined ? { version: input.version } : {};
  const tag = renderTemplate(template, { ...values, ...own, sha: input.head, sha7: input.head.slice(0, 7), branch: input.branch.replace(/\//g, '-') });
  const problem = imageTagProblem(tag);
  return problem ? diagnostic('HF210', `the hotfix image tag "${tag}" is not valid: ${problem}`) : { tag };
}
