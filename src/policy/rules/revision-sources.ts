import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseTemplate } from '../template.js';
import type { Rule } from './rule.js';

/** Each way of finding the deployed commit must have what it needs to work. */
export const revisionSourceRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  const { app } = policy.spec;
  const sources = app.revisionFrom;

  let pattern: RegExp | undefined;
  if (app.gitTagPattern !== undefined) {
    try {
      pattern = new RegExp(app.gitTagPattern);
    } catch (error) {
      out.push(report('HF123', `app.gitTagPattern does not compile: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`, ['spec', 'app', 'gitTagPattern']));
    }
  }

  if (sources.includes('tag')) {
    const names = parseTemplate(app.tagFormat).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
    const commitInTag = names.includes('sha') || names.includes('sha7');
    const versionViaGitTag = names.includes('version') && sources.includes('gitTag');
    if (!commitInTag && !versionViaGitTag)
      out.push(report('HF130', `revisionFrom lists "tag", but tagFormat "${app.tagFormat}" has no {sha} or {sha7}, so a tag cannot name a commit`, ['spec', 'app', 'tagFormat']));
  }

  if (sources.includes('gitTag')) {
    const at = ['spec', 'app', 'revisionFrom', sources.indexOf('gitTag')];
    if (app.gitTagPattern === undefined) out.push(report('HF130', 'revisionFrom lists "gitTag", but app.gitTagPattern is not set', at));
    else if (pattern && !app.gitTagPattern.includes('(?<version>'))
      out.push(report('HF130', 'app.gitTagPattern has no named group (?<version>...), so a git tag cannot be matched to an image tag', ['spec', 'app', 'gitTagPattern']));
  } else if (app.gitTagPattern !== undefined) {
    out.push(report('HF133', 'app.gitTagPattern is set but revisionFrom does not list "gitTag", so it is never used', ['spec', 'app', 'gitTagPattern'], 'key'));
  }
  return out;
};
