/**
 * Name templates such as `hotfix/{date}-{sha7}`: which placeholders each template may
 * use, and rendering. Shared by lint (checking) and plan (naming branches and tags).
 */
export type Placeholder = 'sha' | 'sha7' | 'branch' | 'date' | 'version' | 'env' | 'reason';

export const TEMPLATE_PLACEHOLDERS = {
  tagFormat: ['sha', 'sha7', 'branch', 'date', 'version'],
  hotfixBranch: ['sha', 'sha7', 'date', 'version', 'env', 'reason'],
  rollbackBranch: ['sha7', 'date', 'env'],
  baselineBranch: ['sha7', 'date', 'env'],
} as const satisfies Record<string, readonly Placeholder[]>;

export type TemplateKind = keyof typeof TEMPLATE_PLACEHOLDERS;

export type TemplatePart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'placeholder'; readonly name: string; readonly offset: number };

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  /** Offset of a `{` that is never closed, if any. */
  readonly unclosedAt?: number;
}

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      text += template.slice(i);
      break;
    }
    const close = template.indexOf('}', open);
    if (close < 0) {
      if (text || open > i) parts.push({ kind: 'text', text: text + template.slice(i) });
      return { parts, unclosedAt: open };
    }
    text += template.slice(i, open);
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'placeholder', name: template.slice(open + 1, close), offset: open });
    i = close + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return { parts };
}

export type TemplateValues = Readonly<Partial<Record<Placeholder, string>>>;

/** Renders a template; a placeholder without a value is an error of the caller. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return parseTemplate(template)
    .parts.map((part) => {
      if (part.kind === 'text') return part.text;
      const value = values[part.name as Placeholder];
      if (value === undefined) throw new Error(`no value for placeholder {${part.name}}`);
      return value;
    })
    .join('');
}

/** Representative values, for checking what a template can produce. */
export const SAMPLE_VALUES: Required<TemplateValues> = {
  sha: '26a4b87f01225d4003aac0000000000000000000',
  sha7: '26a4b87',
  branch: 'main',
  date: '20261122',
  version: '1.2.3',
  env: 'production',
  reason: 'security',
};

/** The longest image tag a registry takes. */
export const MAX_IMAGE_TAG = 128;

/** Docker's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
export function imageTagProblem(tag: string): string | undefined {
  if (tag.length > MAX_IMAGE_TAG) return `it is ${tag.length} characters long (at most ${MAX_IMAGE_TAG})`;
  if (!/^[A-Za-z0-9_]/.test(tag)) return 'it must start with a letter, digit or "_"';
  const bad = /[^A-Za-z0-9_.-]/.exec(tag);
  return bad ? `it contains "${bad[0]}"` : undefined;
}

const CAPTURE: Record<Placeholder, string> = {
  sha: '[0-9a-f]{40}',
  sha7: '[0-9a-f]{7}',
  branch: '[A-Za-z0-9_.-]+?',
  date: '[0-9]{8}',
  version: '[A-Za-z0-9_.+-]+?',
  env: '[a-z0-9-]+?',
  reason: '[a-z-]+?',
};

/**
 * Reads a rendered image tag back: `main-26a4b87` against `main-{sha7}` gives `{ sha7: '26a4b87' }`.
 * The tag comes from the cluster or the command line, and each variable-width placeholder
 * multiplies the ways to split it, so nothing longer than a tag can be is tried.
 */
export function matchTemplate(template: string, value: string): TemplateValues | undefined {
  if (value.length > MAX_IMAGE_TAG) return undefined;
  const names: Placeholder[] = [];
  const source = parseTemplate(template)
    .parts.map((part) => {
      if (part.kind === 'text') return part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.name as Placeholder);
      return `(${CAPTURE[part.name as Placeholder] ?? '.+?'})`;
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(value);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]));
}
