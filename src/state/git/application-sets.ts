import { posix } from 'node:path';
import { parse } from 'yaml';
import type { AnnotatedObject } from '../types.js';

/**
 * The Applications an Argo CD ApplicationSet makes, as far as the repository says: its list
 * generators, git directory and file generators over this repository's tree (the
 * generator's repoURL is taken to be this repository: the set is kept here and its template
 * renders a path here), and matrix and merge generators of those. A clusters generator's values
 * (name, server, the secret's labels) live in cluster secrets: its Applications are made
 * once per selected cluster, their references to those values kept as written, and
 * `madeBy.perCluster` says which secrets. Templates are read the two ways the controller
 * does: fasttemplate (`{{path.basename}}`, `{{env}}`) and, with `goTemplate: true`, plain
 * references (`{{ .path.path }}`, `{{index .path.segments 1}}`). Anything else (other
 * generators, template functions) cannot be followed here: the set is returned with
 * `unexpanded` saying why. Pure; `dirs` is every directory of the tree, `files` the text of
 * every file its git file generators match (generatorFiles).
 */
export function expandApplicationSet(set: AnnotatedObject, dirs: readonly string[], files: Readonly<Record<string, string>> = {}): { readonly apps: readonly AnnotatedObject[]; readonly unexpanded?: string } {
  const spec = isMap(set.spec) ? set.spec : {};
  const template = isMap(spec.template) ? spec.template : {};
  const go = spec.goTemplate === true;
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const params: Params[] = [];
  for (const generator of generators) {
    const found = paramsOf(generator, { dirs, files }, go);
    if (typeof found === 'string') return { apps: [], unexpanded: found };
    params.push(...found);
  }
  try {
    const apps = params.map((p) => application(set, template, p, (text) => render(text, p, go)));
    // A merge over clusters may give the same Application more than once: it is one Application.
    const seen = new Set<string>();
    return { apps: apps.filter((a) => !seen.has(`${a.name}\0${a.source?.path}`) && !!seen.add(`${a.name}\0${a.source?.path}`)) };
  } catch (error) {
    if (error instanceof Unreadable) return { apps: [], unexpanded: error.message };
    throw error;
  }
}

type Data = Record<string, any>;
type Params = Readonly<Record<string, string>>;
const isMap = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

class Unreadable extends Error {}

/** The key of a parameter set a clusters generator gives: its value is the cluster secrets' label selector. */
const PER_CLUSTER = '\0clusters';

interface Tree {
  readonly dirs: readonly string[];
  readonly files: Readonly<Record<string, string>>;
}

/** The paths of the tree that the set's git file generators (at any depth of matrix and merge) match, sorted. Pure. */
export function generatorFiles(set: AnnotatedObject, paths: readonly string[]): string[] {
  const spec = isMap(set.spec) ? set.spec : {};
  const rules: Data[] = [];
  // A path rendered from another generator's values (`{{.path.path}}/config.json`) may be any path there: read every file it could be.
  // An exclude rule with such a reference is left out: it could only exclude less.
  const anyValue = (rule: Data) => (typeof rule.path === 'string' && rule.path.includes('{{') ? (rule.exclude === true ? [] : [{ ...rule, path: rule.path.replace(/\{\{.*?\}\}/gs, '*') }]) : [rule]);
  const walk = (generator: unknown) => {
    if (!isMap(generator)) return;
    if (isMap(generator.git) && Array.isArray(generator.git.files)) rules.push(...generator.git.files.filter(isMap).flatMap(anyValue));
    for (const nested of [generator.matrix, generator.merge]) if (isMap(nested) && Array.isArray(nested.generators)) nested.generators.forEach(walk);
  };
  (Array.isArray(spec.generators) ? spec.generators : []).forEach(walk);
  return [...new Set(paths.filter(filesMatcher(rules)))].sort();
}

/**
 * Which paths file rules match: exclude rules win, as for directories. The controller's
 * default file globbing is documented as greedy (a pattern of two one-star directories
 * also matches files deeper down, as a double star would), so `*` crosses `/` here too.
 */
function filesMatcher(rules: readonly Data[]): (path: string) => boolean {
  const of = (exclude: boolean) => rules.filter((r) => (r.exclude === true) === exclude && typeof r.path === 'string').map((r) => matcher(r.path, true));
  const [include, exclude] = [of(false), of(true)];
  return (path) => include.some((m) => m(path)) && !exclude.some((m) => m(path));
}

/** One generator's parameter sets, keyed as the template names them; a string says why they cannot be known here. */
function paramsOf(generator: unknown, tree: Tree, go: boolean): Params[] | string {
  const { dirs } = tree;
  if (!isMap(generator)) return 'a generator that is not a mapping';
  const [kind, more] = Object.keys(generator).filter((k) => k !== 'selector' && k !== 'values');
  if (more !== undefined || kind === undefined) return `a generator of ${Object.keys(generator).join(' and ') || 'nothing'}`;
  const body = generator[kind];
  if (kind === 'list' && isMap(body) && Array.isArray(body.elements)) {
    const elements: unknown[] = body.elements;
    return elements.every(isMap) ? elements.map((e) => flat(e, go ? '.' : '')) : 'a list generator whose elements are not mappings';
  }
  if (kind === 'clusters' && isMap(body)) return [{ [PER_CLUSTER]: clusterSelector(body.selector), ...(isMap(body.values) ? flat(body.values, go ? '.values.' : 'values.') : {}) }];
  if (kind === 'matrix' && isMap(body) && Array.isArray(body.generators) && body.generators.length === 2) {
    // As the controller does, the second child is read once per parameter set of the first,
    // its strings rendered with that set: a git files path of `{{.path.path}}/config.json`.
    const first = paramsOf(body.generators[0], tree, go);
    if (typeof first === 'string') return `its matrix generator's ${nested(first)}`;
    const out: Params[] = [];
    for (const x of first) {
      const second = paramsOf(interpolated(body.generators[1], x, go), tree, go);
      if (typeof second === 'string') return `its matrix generator's ${nested(second)}`;
      out.push(...second.map((y) => joined(x, y)));
    }
    return out;
  }
  if (kind === 'merge' && isMap(body) && Array.isArray(body.generators) && body.generators.length > 0 && Array.isArray(body.mergeKeys)) {
    const all = body.generators.map((g: unknown) => paramsOf(g, tree, go));
    const unread = all.find((p): p is string => typeof p === 'string');
    if (unread !== undefined) return `its merge generator's ${nested(unread)}`;
    const keys = body.mergeKeys.filter((k: unknown): k is string => typeof k === 'string').map((k: string) => (go ? `.${k}` : k));
    return (all as Params[][]).slice(1).reduce((base, overrides) => merged(base, overrides, keys), all[0] as Params[]);
  }
  const unrendered = kind === 'git' && isMap(body) ? [...(Array.isArray(body.files) ? body.files : []), ...(Array.isArray(body.directories) ? body.directories : [])].find((r) => isMap(r) && typeof r.path === 'string' && r.path.includes('{{')) : undefined;
  if (unrendered !== undefined) return `its git generator's path ${(unrendered as Data).path}, whose reference no generator before it gives`;
  const prefix = kind === 'git' && isMap(body) && typeof body.pathParamPrefix === 'string' && body.pathParamPrefix !== '' ? body.pathParamPrefix : undefined;
  if (kind === 'git' && isMap(body) && Array.isArray(body.files) && body.directories === undefined) {
    const out: Params[] = [];
    for (const file of Object.keys(tree.files).filter(filesMatcher(body.files.filter(isMap))).sort()) {
      const sets = fileParams(tree.files[file]!);
      if (typeof sets === 'string') return `its git file generator's ${file}, which ${sets}`;
      out.push(...sets.map((values) => ({ ...flat(values, go ? '.' : ''), ...pathParams(posix.dirname(file), go, posix.basename(file), prefix) })));
    }
    return out;
  }
  if (kind === 'git' && isMap(body) && Array.isArray(body.directories) && body.files === undefined) {
    const rules = body.directories.filter(isMap);
    const include = rules.filter((r) => r.exclude !== true && typeof r.path === 'string').map((r) => matcher(r.path));
    const exclude = rules.filter((r) => r.exclude === true && typeof r.path === 'string').map((r) => matcher(r.path));
    // Exclude rules win over include rules, whatever their order; dot directories never count.
    return dirs.filter((d) => !posix.basename(d).startsWith('.') && include.some((m) => m(d)) && !exclude.some((m) => m(d))).map((d) => pathParams(d, go, undefined, prefix));
  }
  return CONTROLLER_ONLY.has(kind) ? `its ${kind} generator, whose values only the ApplicationSet controller reads (from a forge, the cluster or a plugin)` : `its ${kind} generator, which hotfix does not know`;
}

/** The generators whose parameters come from outside the repository: pull requests, repositories, a placement's decisions, a plugin's answer. */
const CONTROLLER_ONLY = new Set(['pullRequest', 'scmProvider', 'clusterDecisionResource', 'plugin']);

/** A matrix's combination of two parameter sets; two clusters generators' selectors both hold. */
function joined(a: Params, b: Params): Params {
  const clusters = [a[PER_CLUSTER], b[PER_CLUSTER]].filter((c) => c !== undefined);
  return { ...a, ...b, ...(clusters.length > 0 ? { [PER_CLUSTER]: clusters.join(',') } : {}) };
}

/**
 * The merge generator: each base set takes the values of the later sets whose merge keys
 * equal its own, the last one winning; sets matching no base set are dropped. Where the
 * base set's key is a cluster's value, unknown here, any override may match it: each is
 * one Application it may make, besides the base set alone.
 */
function merged(base: readonly Params[], overrides: readonly Params[], keys: readonly string[]): Params[] {
  return base.flatMap((b) => {
    if (b[PER_CLUSTER] !== undefined && keys.some((k) => b[k] === undefined)) return [b, ...overrides.map((o) => ({ ...b, ...o, [PER_CLUSTER]: b[PER_CLUSTER]! }))];
    const match = overrides.filter((o) => keys.every((k) => o[k] !== undefined && o[k] === b[k])).at(-1);
    return [match ? { ...b, ...match } : b];
  });
}

/**
 * The label selector of the cluster secrets a clusters generator reads, as kubectl -l takes
 * it: matchLabels, and matchExpressions in set-based form.
 */
function clusterSelector(selector: unknown): string {
  const terms = ['argocd.argoproj.io/secret-type=cluster'];
  if (isMap(selector) && isMap(selector.matchLabels)) for (const [k, v] of Object.entries(selector.matchLabels)) terms.push(`${k}=${String(v)}`);
  const expressions: unknown[] = isMap(selector) && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of expressions.filter(isMap)) {
    const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    const op = String(e.operator);
    terms.push(op === 'Exists' ? String(e.key) : op === 'DoesNotExist' ? `!${String(e.key)}` : `${String(e.key)} ${op === 'NotIn' ? 'notin' : 'in'} (${values})`);
  }
  // The docs' selectors often name the secret type themselves: one term says it once.
  return [...new Set(terms)].join(',');
}

/** What a JSON or YAML file of a git file generator holds: one parameter set per mapping (a list of mappings gives several), or why not. */
function fileParams(text: string): Data[] | string {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return 'is not JSON or YAML';
  }
  if (isMap(value)) return [value];
  return Array.isArray(value) && value.every(isMap) ? value : 'holds no mapping of parameters';
}

/**
 * The parameters the git generators give a directory, or a file's directory and name (file
 * generator), under both template syntaxes' names.
 */
function pathParams(dir: string, go: boolean, filename?: string, prefix?: string): Params {
  const basename = posix.basename(dir);
  const segments = dir.split('/');
  const normalized = sanitizeName(basename);
  const file = filename === undefined ? {} : { filename, filenameNormalized: sanitizeName(filename) };
  // pathParamPrefix (two git generators in one matrix): `app.path.basename`, `.app.path.basename`.
  const p = prefix === undefined ? '' : `${prefix}.`;
  if (go)
    return {
      [`.${p}path.path`]: dir,
      [`.${p}path.basename`]: basename,
      [`.${p}path.basenameNormalized`]: normalized,
      ...Object.fromEntries(Object.entries(file).map(([k, v]) => [`.${p}path.${k}`, v])),
      ...Object.fromEntries(segments.map((s, i) => [`.${p}path.segments.${i}`, s])),
    };
  return {
    [`${p}path`]: dir,
    [`${p}path.path`]: dir,
    [`${p}path.basename`]: basename,
    [`${p}path.basenameNormalized`]: normalized,
    ...Object.fromEntries(Object.entries(file).map(([k, v]) => [`${p}path.${k}`, v])),
    ...Object.fromEntries(segments.flatMap((s, i) => [[`${p}path[${i}]`, s], [`${p}path.segments[${i}]`, s]])),
  };
}

/** As Argo CD's utils.SanitizeName: lower case, DNS-1123 characters only, no leading or trailing `-` or `.`. */
function sanitizeName(name: string): string {
  return name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

/** A list element's keys, nested ones dotted (`cluster.name`), as the controller flattens them. */
function flat(element: Data, prefix: string): Params {
  const out: Record<string, string> = {};
  const walk = (value: unknown, key: string) => {
    if (isMap(value)) for (const [k, v] of Object.entries(value)) walk(v, key === '' ? k : `${key}.${k}`);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[`${prefix}${key}`] = String(value);
  };
  walk(element, '');
  return out;
}

/** Go's path.Match over the whole path: `*` and `?` stop at `/` (unless `greedy`), `[…]` a class. */
function matcher(pattern: string, greedy = false): (dir: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += greedy ? '.*' : '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) source += escape(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return () => false; // path.Match: ErrBadPattern, which matches nothing
      const body = pattern.slice(i + 1, end);
      source += `[${body.startsWith('^') ? `^/${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
      i = end;
    } else source += escape(c);
  }
  const re = new RegExp(`^${source}$`);
  return (dir) => re.test(dir);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const escapeClass = (body: string) => body.replace(/[\\\]]/g, '\\$&');

/**
 * A template string with its references replaced; a reference it cannot resolve is
 * Unreadable, or, where `keep`, stays as written (a child generator rendered with the first
 * child's values, as the controller renders it, before its own are known).
 */
function render(text: string, params: Params, go: boolean, keep = false): string {
  return text.replace(/\{\{(.*?)\}\}/gs, (whole, inner: string) => {
    const ref = inner.trim();
    const index = go ? /^index\s+(\.[\w.]+)\s+(\d+)$/.exec(ref) : null;
    const key = index ? `${index[1]}.${index[2]}` : ref;
    const value = params[key];
    // A cluster's values are read per cluster by the controller: the reference stays for a person to read.
    if (value === undefined && (keep || params[PER_CLUSTER] !== undefined)) return whole;
    if (value === undefined) throw new Unreadable(`its template reference ${whole}`);
    return value;
  });
}

/** A generator with every string in it rendered with one parameter set, references it does not give kept. */
function interpolated(generator: unknown, params: Params, go: boolean): unknown {
  if (typeof generator === 'string') return render(generator, params, go, true);
  if (Array.isArray(generator)) return generator.map((g) => interpolated(g, params, go));
  return isMap(generator) ? Object.fromEntries(Object.entries(generator).map(([k, v]) => [k, interpolated(v, params, go)])) : generator;
}

/** A nested generator's reason, read as part of its parent's: "its matrix generator's scmProvider generator". */
const nested = (why: string) => why.replace(/^its /, '');

/** The Application one parameter set makes: the template's metadata and source, rendered. */
function application(set: AnnotatedObject, template: Data, params: Params, render: (text: string) => string): AnnotatedObject {
  const meta = isMap(template.metadata) ? template.metadata : {};
  const spec = isMap(template.spec) ? template.spec : {};
  const strings = (v: unknown) => Object.fromEntries(Object.entries(isMap(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => [render(k), render(v)]));
  const source = isMap(spec.source) ? spec.source : Array.isArray(spec.sources) && isMap(spec.sources[0]) ? spec.sources[0] : undefined;
  const namespace = typeof meta.namespace === 'string' ? render(meta.namespace) : set.namespace;
  return {
    file: set.file,
    document: set.document,
    apiVersion: set.apiVersion,
    kind: 'Application',
    name: typeof meta.name === 'string' ? render(meta.name) : '',
    ...(namespace !== undefined ? { namespace } : {}),
    annotations: strings(meta.annotations),
    labels: strings(meta.labels),
    containers: {},
    ...(source ? { source: strings(Object.fromEntries(['repoURL', 'path', 'targetRevision'].filter((k) => typeof source[k] === 'string').map((k) => [k, source[k]]))) } : {}),
    madeBy: { name: set.name, ...(set.namespace !== undefined ? { namespace: set.namespace } : {}), ...(params[PER_CLUSTER] !== undefined ? { perCluster: params[PER_CLUSTER] } : {}) },
  };
}
