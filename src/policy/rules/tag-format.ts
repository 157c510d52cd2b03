import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { allowsPlaceholder, namesCommit, placeholdersOf } from '../template.js';
import type { Policy } from '../types.js';
import { afterBuildParts, explainPlaceholder } from '../placeholder-words.js';
import { atPlaceholder } from './placeholder-position.js';
import type { RuleContext } from './rule.js';

/**
 * What a tagFormat that lint accepts placeholder by placeholder can still not do: be read
 * back unambiguously, name a commit, or give the hotfix image's tag before CI builds it.
 */
export function tagFormatFindings(policy: Policy, report: RuleContext['report']): Diagnostic[] {
  const { app } = policy.spec;
  const at = ['spec', 'app', 'tagFormat'];
  const names = placeholdersOf(app.tagFormat);
  // A placeholder lint does not know (HF121) says nothing yet of what the format can do.
  if (!names.every((name) => allowsPlaceholder('tagFormat', name))) return [];
  const out: Diagnostic[] = [];
  // Tags are read back through tagFormat; each repeat of a placeholder makes that reading
  // ambiguous, and the match slower by a factor of the tag's length. {sha7} and {sha} both
  // name the commit: one is enough.
  const family = names.map((name) => (namesCommit(name) ? 'sha' : name));
  const repeated = names.find((_, i) => family.indexOf(family[i]!) !== i);
  if (repeated !== undefined)
    out.push(
      report(
        'HF130',
        namesCommit(repeated)
          ? `tagFormat "${app.tagFormat}" uses {${repeated}} besides {${names.find((n) => n !== repeated && namesCommit(n))}}: name the commit once, since a tag whose two parts disagree names no commit`
          : `tagFormat "${app.tagFormat}" uses {${repeated}} more than once, so a tag cannot be read back unambiguously`,
        at,
      ),
    );

  const readsBack = app.revisionFrom.includes('tag');
  if (!names.some(namesCommit) && !names.includes('version') && !readsBack)
    out.push(report('HF150', `tagFormat "${app.tagFormat}" has no {sha}, {sha7} or other {shaN}: a tag read back names no commit, so status cannot say which commit an environment runs; add the commit id CI builds from, as in {branch}-{sha8}-{timestamp}`, at));

  // Each placeholder CI fills only at build time is explained where it is written.
  if (policy.spec.hotfix && policy.spec.hotfix.imageTag === undefined)
    for (const { name, offset } of afterBuildParts(app.tagFormat))
      out.push(
        atPlaceholder(
          report(
            'HF151',
            `tagFormat "${app.tagFormat}" has ${explainPlaceholder(name)}, known only once CI has built the image: reading a tag back it matches any value of its form, and a hotfix's tag is decided at its gate, where apply takes the newest registry tag that fits with the rest fixed and makes the deploy commit with it (the plan shows {${name}} as written); a baseline config branch, made before the gate, cannot use it (HF370)`,
            at,
          ),
          app.tagFormat,
          offset,
          name,
        ),
      );
  return out;
}
