/**
 * Name templates such as `hotfix/{date}-{sha7}`: which placeholders each template may
 * use, and rendering. Shared by lint (checking) and plan (naming branches and tags).
 */
export type Placeholder = 'sha' | 'sha7' | 'branch' | 'date' | 'datetime' | 'timestamp' | 'build' | 'version' | 'env' | 'reason';

/** `{sha8}`: the first 8 characters of the commit id; `{sha7}` is one of these. */
export type ShaPrefix = `sha${number}`;

/** `shaN` in a list of allowed placeholders stands for every `{sha4}` … `{sha40}`. */
export const TEMPLATE_PLACEHOLDERS = {
  tagFormat: ['sha', 'shaN', 'branch', 'date', 'datetime', 'timestamp', 'build', 'version'],
  hotfixBranch: ['sha', 'sha7', 'shaN', 'date', 'version', 'env', 'reason'],
  rollbackBranch: ['sha7', 'shaN', 'date', 'env'],
  baselineBranch: ['sha7', 'shaN', 'date', 'env'],
  // {branch}: the branch the pull request goes into.
  reviewBranch: ['sha', 'sha7', 'shaN', 'date', 'version', 'env', 'reason', 'branch'],
} as const satisfies Record<string, readonly (Placeholder | 'shaN')[]>;

export type TemplateKind = keyof typeof TEMPLATE_PLACEHOLDERS;

/** What each placeholder stands for, as lint explains it. */
export const PLACEHOLDER_MEANINGS: Readonly<Record<Placeholder | 'shaN', string>> = {
  sha: 'the full commit id, 40 hex digits',
  sha7: 'the first 7 hex digits of the commit id',
  shaN: 'the first N hex digits of the commit id, N from 4 to 40; {sha8} is GitLab\'s CI_COMMIT_SHORT_SHA and the ${GITHUB_SHA::8} of Flux\'s sortable tags',
  branch: 'the branch built from, "/" written "-"',
  date: 'the day, YYYYMMDD, UTC',
  datetime: 'the time CI built the image, YYYYMMDDHHMMSS, UTC: date -u +%Y%m%d%H%M%S',
  timestamp: 'the time CI built the image in Unix seconds, date +%s, as Flux\'s sortable tags {branch}-{sha8}-{timestamp} end',
  build: 'CI\'s build or run number: github.run_number, BUILD_NUMBER, CI_PIPELINE_IID',
  version: 'the release version',
  env: 'the environment',
  reason: 'the reason given for the hotfix',
};

/**
 * Placeholders whose value exists only once CI has built the image: reading a tag back they
 * match any value, and nothing made before the build can know the tag they give.
 */
export const KNOWN_ONLY_AFTER_BUILD: ReadonlySet<string> = new Set<Placeholder>(['datetime', 'timestamp', 'build']);

/** N for `{shaN}` with N from 4 (git's shortest abbreviation) to 40; undefined for any other name. */
export function shaPrefixLength(name: string): number | undefined {
  const match = /^sha([1-9][0-9]?)$/.exec(name);
  const length = match ? Number(match[1]) : 0;
  return length >= 4 && length <= 40 ? length : undefined;
}

/** Whether a template of this kind may use the placeholder. */
export function allowsPlaceholder(kind: TemplateKind, name: string): boolean {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  return allowed.includes(name) || (allowed.includes('shaN') && shaPrefixLength(name) !== undefined);
}

/** The placeholders a template uses, in order. */
export function placeholdersOf(template: string): string[] {
  return parseTemplate(template).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
}

/** Whether the placeholder names the commit, whole or by a prefix. */
export function namesCommit(name: string): boolean {
  return name === 'sha' || shaPrefixLength(name) !== undefined;
}

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

export type TemplateValues = Readonly<Partial<Record<Placeholder | ShaPrefix, string>>>;

/** A placeholder's value: a prefix of the commit id comes from {sha} when not given itself. */
function valueOf(name: string, values: TemplateValues): string | undefined {
  const given = values[name as Placeholder];
  if (given !== undefined) return given;
  const length = shaPrefixLength(name);
  return length === undefined ? undefined : values.sha?.slice(0, length);
}

/** Renders a template; a placeholder without a value is an error of the caller. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return parseTemplate(template)
    .parts.map((part) => {
      if (part.kind === 'text') return part.text;
      const value = valueOf(part.name, values);
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
  datetime: '20261122143005',
  timestamp: '1795358405',
  build: '1234',
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
  datetime: '[0-9]{14}',
  // Unix seconds have had 10 digits since 2001 and keep them until 2286.
  timestamp: '[0-9]{10}',
  build: '[0-9]+',
  version: '[A-Za-z0-9_.+-]+?',
  env: '[a-z0-9-]+?',
  reason: '[a-z-]+?',
};

function capture(name: string): string {
  const length = shaPrefixLength(name);
  return length === undefined ? (CAPTURE[name as Placeholder] ?? '.+?') : `[0-9a-f]{${length}}`;
}

/**
 * Reads a rendered image tag back: `main-26a4b87` against `main-{sha7}` gives `{ sha7: '26a4b87' }`.
 * Placeholders known only after the build ({timestamp}, {datetime}, {build}) match any value
 * of their form. The tag comes from the cluster or the command line, and each variable-width
 * placeholder multiplies the ways to split it, so nothing longer than a tag can be is tried.
 * Two parts naming the commit ({sha7} and {sha}) must name the same one.
 */
export function matchTemplate(template: string, value: string): TemplateValues | undefined {
  if (value.length > MAX_IMAGE_TAG) return undefined;
  const names: string[] = [];
  const source = parseTemplate(template)
    .parts.map((part) => {
      if (part.kind === 'text') return part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.name);
      return `(${capture(part.name)})`;
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(value);
  if (!match) return undefined;
  const values: TemplateValues = Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]));
  const commits = names.filter(namesCommit).map((name) => values[name as Placeholder]!);
  const longest = commits.reduce((a, b) => (b.length > a.length ? b : a), '');
  return commits.every((c) => longest.startsWith(c)) ? values : undefined;
}

/** The commit id, or the longest prefix of it, that values read back from a tag give. */
export function commitIn(values: TemplateValues | undefined): string | undefined {
  if (!values) return undefined;
  const commits = Object.entries(values).flatMap(([name, value]) => (namesCommit(name) && value !== undefined ? [value] : []));
  return commits.length === 0 ? undefined : commits.reduce((a, b) => (b.length > a.length ? b : a));
}
