import type { DiagnosticCode } from '../../diagnostics/codes.js';
import { refLengthProblem } from '../git-ref-name.js';
import { shadowProblem } from '../ref-shadowing.js';
import { MAX_IMAGE_TAG, parseTemplate, renderTemplate, SAMPLE_VALUES, type Placeholder, type TemplateValues } from '../template.js';

export interface Problem {
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** What a branch or tag template can be filled with, as far as the policy tells. */
export interface RefTemplate {
  readonly refs: 'heads' | 'tags';
  /** The environment names {env} can take. */
  readonly envs: readonly string[];
  /** The reasons {reason} can take. */
  readonly reasons: readonly string[];
  readonly remotes: readonly string[];
}

/**
 * The longest value of each placeholder. {version} has no bound the policy knows: it counts
 * as the longest --version takes; a version read from a release tag can be longer, and plan
 * checks the name it really renders.
 */
const LONGEST: Readonly<Record<Exclude<Placeholder, 'env' | 'reason' | 'branch' | ImageOnly>, number>> = { sha: 40, sha7: 7, date: 8, version: MAX_IMAGE_TAG };

/** Placeholders only image tags take: branch and tag names never have them. */
type ImageOnly = 'datetime' | 'timestamp' | 'build';

/**
 * A template git accepts the characters of can still give names git cannot store (too long)
 * or that make other names ambiguous (shadowing). Only {env} and {reason} can put a word
 * there that a check could match (the others are hex, digits or a version), so every
 * environment and reason is tried; the length is that of the longest rendering.
 */
export function refTemplateProblems(template: string, context: RefTemplate): Problem[] {
  const used = new Set(parseTemplate(template).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : [])));
  const longestOf = (words: readonly string[]) => words.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a), '');
  const longest: TemplateValues = {
    ...Object.fromEntries(Object.entries(LONGEST).map(([name, length]) => [name, '0'.repeat(length)])),
    env: longestOf(context.envs),
    reason: longestOf(context.reasons),
  };
  const rendered = renderTemplate(template, longest);
  const tooLong = refLengthProblem(`refs/${context.refs}/${rendered}`);
  if (tooLong) {
    const counted = [...used].map((name) => (name === 'env' || name === 'reason' ? `{${name}} as "${longest[name]}"` : `{${name}} as ${LONGEST[name as keyof typeof LONGEST]} characters`));
    return [{ code: 'HF136', message: `"${template}" can give a name too long for git: ${tooLong}${counted.length > 0 ? `, counting ${counted.join(', ')}` : ''}; shorten the template` }];
  }

  for (const env of used.has('env') ? context.envs : [SAMPLE_VALUES.env])
    for (const reason of used.has('reason') ? context.reasons : [SAMPLE_VALUES.reason]) {
      const name = renderTemplate(template, { ...SAMPLE_VALUES, env, reason });
      const shadow = shadowProblem(name, context.remotes);
      const filled = [...(used.has('env') ? [`environment ${env}`] : []), ...(used.has('reason') ? [`reason ${reason}`] : [])];
      if (shadow) return [{ code: 'HF137', message: `"${template}" gives "${name}"${filled.length > 0 ? ` for ${filled.join(' and ')}` : ''}, which shadows other refs: ${shadow}; start the name with a word of its own, such as "hotfix/"` }];
    }
  return [];
}
