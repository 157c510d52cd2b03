import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hotfixImageTagTemplate, mainlinePrefix } from '../hotfix-image-tag.js';
import { afterBuildParts, explainPlaceholder } from '../placeholder-words.js';
import { atPlaceholder } from './placeholder-position.js';
import { allowsPlaceholder, placeholdersOf } from '../template.js';
import type { Rule } from './rule.js';

/**
 * The image a hotfix's gate waits for must be one CI builds from the hotfix branch, not one
 * CI gives only mainline builds; parts of its tag known only after the build are decided
 * at the gate, which lint says. Its placeholders and characters are checked with the other templates
 * (names.ts).
 */
export const hotfixImageTagRules: Rule = ({ policy, report }) => {
  const { hotfix, app } = policy.spec;
  if (!hotfix) return [];
  const { template, field } = hotfixImageTagTemplate(policy);
  const names = placeholdersOf(template);
  // An unknown placeholder (HF121) says nothing yet of what the tag can be.
  if (!names.every((name) => allowsPlaceholder('tagFormat', name))) return [];
  const out: Diagnostic[] = [];
  // app.tagFormat's own finding is HF151: it also serves to read tags back.
  if (field === 'hotfix.imageTag')
    for (const { name, offset } of afterBuildParts(template))
      out.push(
        atPlaceholder(
          report('HF147', `hotfix.imageTag "${template}" has ${explainPlaceholder(name)}, known only once CI has built the image: the tag is decided at the hotfix's gate, where apply takes the newest registry tag that fits with the rest fixed and makes the deploy commit with it (the plan shows {${name}} as written); a baseline config branch, made before the gate, cannot use it (HF370)`, ['spec', 'hotfix', 'imageTag']),
          template,
          offset,
          name,
        ),
      );

  const prefix = mainlinePrefix(template, app.mainline);
  if (prefix !== undefined) {
    out.push(
      report(
        'HF146',
        `a hotfix's gate would wait for ${app.image}:${template} of the hotfix head (${field}${field === 'app.tagFormat' ? ', as there is no hotfix.imageTag' : ''}), a tag starting with the mainline's name "${prefix}", which CI gives builds of ${app.mainline}; it tags a build of the hotfix branch with that branch (docker/metadata-action's type=sha,prefix={{branch}}- writes it, "/" as "-", before the commit), so that image is never built and apply waits at the gate for good; set hotfix.imageTag to the tag CI gives hotfix branch builds, such as "{branch}-{sha7}"`,
        field === 'app.tagFormat' ? ['spec', 'hotfix'] : ['spec', 'hotfix', 'imageTag'],
        field === 'app.tagFormat' ? 'key' : 'value',
      ),
    );
  }
  return out;
};
