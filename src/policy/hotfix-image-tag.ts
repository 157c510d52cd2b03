import type { Policy } from './types.js';

/** The template of the tag CI gives the hotfix branch's image, and the field it comes from. */
export interface HotfixImageTagTemplate {
  readonly template: string;
  readonly field: 'hotfix.imageTag' | 'app.tagFormat';
}

/**
 * CI often tags mainline builds and branch builds differently (docker/metadata-action's
 * `type=sha,prefix={{branch}}-`, Flux's `{branch}-{sha8}-{timestamp}`): hotfix.imageTag
 * says how it tags the hotfix branch's build; without it the mainline's tagFormat is taken.
 */
export function hotfixImageTagTemplate(policy: Policy): HotfixImageTagTemplate {
  const own = policy.spec.hotfix?.imageTag;
  return own !== undefined ? { template: own, field: 'hotfix.imageTag' } : { template: policy.spec.app.tagFormat, field: 'app.tagFormat' };
}

/**
 * The literal word a template starts with when it is the mainline's name (`main` of
 * `main-{sha7}`), as CI writes a branch in a tag (`/` as `-`): a tag CI only gives builds
 * of the mainline. Undefined when the template starts otherwise.
 */
export function mainlinePrefix(template: string, mainline: string): string | undefined {
  const word = mainline.replace(/\//g, '-');
  const literal = template.split('{')[0]!;
  if (!literal.startsWith(word)) return undefined;
  const next = literal.charAt(word.length);
  return next === '' || /[-._]/.test(next) ? word : undefined;
}
