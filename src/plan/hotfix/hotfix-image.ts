import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { hotfixImageTagTemplate } from '../../policy/hotfix-image-tag.js';
import { imageTagProblem, namesCommit, placeholdersOf, renderTemplate, SAMPLE_VALUES } from '../../policy/template.js';
import type { TemplateValues } from '../../policy/template.js';
import { decidedAtGate, tagOfHead, tagPattern } from '../tag-at-gate.js';
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
 * point at the image it runs. Where the template has parts CI fills only when it builds
 * ({timestamp}, {datetime}, {build}), the tag is a pattern keeping them, which the gate
 * decides (tag-at-gate.ts). Pure.
 */
export function hotfixImageTag(policy: Policy, input: HotfixImageInput): { readonly tag: string; readonly fromHead?: string } | Diagnostic {
  const { template, field } = hotfixImageTagTemplate(policy);
  if (input.version === undefined && placeholdersOf(template).includes('version'))
    return diagnostic('HF341', `${field} "${template}" needs the hotfix's own version for its image: pass --version${input.deployedVersion ? ` (the deployed one is ${input.deployedVersion})` : ''}`);
  const { version: _deployed, ...values } = input.values;
  const own = input.version !== undefined ? { version: input.version } : {};
  const tag = tagPattern(template, { ...values, ...own, sha: input.head, sha7: input.head.slice(0, 7), branch: input.branch.replace(/\//g, '-') });
  const problem = imageTagProblem(decidedAtGate(tag) ? renderTemplate(tag, SAMPLE_VALUES) : tag);
  if (problem) return diagnostic('HF210', `the hotfix image tag "${tag}" is not valid: ${problem}`);
  // The same template with the head's id left as written: where it gives this tag back, the plan records it (gate.tagFromHead).
  const commitNames = Object.fromEntries(placeholdersOf(template).filter(namesCommit).map((name) => [name, `{${name}}`]));
  const fromHead = Object.keys(commitNames).length > 0 ? tagPattern(template, { ...values, ...own, branch: input.branch.replace(/\//g, '-'), ...commitNames }) : undefined;
  return fromHead !== undefined && tagOfHead(fromHead, input.head) === tag ? { tag, fromHead } : { tag };
}
