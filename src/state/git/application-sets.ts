import { posix } from 'node:path';
import type { AnnotatedObject } from '../types.js';

/**
 * The Applications an Argo CD ApplicationSet makes, as far as the repository says: its list
 * generators, and git directory generators over this repository's tree (the generator's
 * repoURL is taken to be this repository: the set is kept here and its template renders a
 * path here). Templates are read the two ways the controller does: fasttemplate
 * (`{{path.basename}}`, `{{env}}`) and, with `goTemplate: true`, plain references
 * (`{{ .path.path }}`, `{{index .path.segments 1}}`). Anything else (other generators,
 * template functions) cannot be followed here: the set is returned with `unexpanded`
 * saying why. Pure; `dirs` is every directory of the tree.
 */
export function expandApplicationSet(set: AnnotatedObject, dirs: readonly string[]): { readonly apps: readonly AnnotatedObject[]; readonly unexpanded?: string } {
  const spec = isMap(set.spec) ? set.spec : {};
  const template = isMap(spec.template) ? spec.template : {};
  const go = spec.goTemplate === true;
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const params: Params[] = [];
  for (const generator of generators) {
    const found = paramsOf(generator, dirs, go);
    if (typeof found === 'string') return { apps: [], unexpanded: found };
    params.push(...found);
  }
  try {
    return { apps: params.map((p) => application(set, template, (text) => render(text, p, go))) };
  } catch (error) {
    if (error instanceof Unreadable) return { apps: [], unexpanded: error.message };
    throw error;
  }
}

type Data = Record<string, any>;
type Params = Readonly<Record<string, string>>;
const isMap = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

class Unreadable extends Error {}

/** One generator's parameter sets, keyed as the template names them; a string says why they cannot be known here. */
function paramsOf(generator: unknown, dirs: readonly string[], go: boolean): Params[] | string {
  if (!isMap(generator)) return 'a generator that is not a mapping';
  const [kind, more] = Object.keys(generator).filter((k) => k !== 'selector' && k !== 'values');
  if (more !== undefined || kind === undefined) return `a generator of ${Object.keys(generator).join(' and ') || 'nothing'}`;
  const body = generator[kind];
  if (kind === 'list' && isMap(body) && Array.isArray(body.elements)) {
    const elements: unknown[] = body.elements;
    return elements.every(isMap) ? elements.map((e) => flat(e, go ? '.' : '')) : 'a list generator whose elements are not mappings';
  }
  if (kind === 'git' && isMap(body) && Array.isArray(body.directories) && body.files === undefined) {
    const rules = body.directories.filter(isMap);
    const include = rules.filter((r) => r.exclude !== true && typeof r.path === 'string').map((r) => matcher(r.path));
    const exclude = rules.filter((r) => r.exclude === true && typeof r.path === 'string').map((r) => matcher(r.path));
    // Exclude rules win over include rules, whatever their order; dot directories never count.
    return dirs.filter((d) => !posix.basename(d).startsWith('.') && include.some((m) => m(d)) && !exclude.some((m) => m(d))).map((d) => pathParams(d, go));
  }
  return `its ${kind} generator`;
}

/** The parameters the git directory generator gives a directory, under both template syntaxes' names. */
function pathParams(dir: string, go: boolean): Params {
  const basename = posix.basename(dir);
  const segments = dir.split('/');
  const normalized = sanitizeName(basename);
  if (go) return { '.path.path': dir, '.path.basename': basename, '.path.basenameNormalized': normalized, ...Object.fromEntries(segments.map((s, i) => [`.path.segments.${i}`, s])) };
  return {
    path: dir,
    'path.path': dir,
    'path.basename': basename,
    'path.basenameNormalized': normalized,
    ...Object.fromEntries(segments.flatMap((s, i) => [[`path[${i}]`, s], [`path.segments[${i}]`, s]])),
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

/** Go's path.Match over the whole directory path: `*` and `?` stop at `/`, `[…]` a class. */
function matcher(pattern: string): (dir: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[^/]*';
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

/** A template string with its references replaced; a reference it cannot resolve is Unreadable. */
function render(text: string, params: Params, go: boolean): string {
  return text.replace(/\{\{(.*?)\}\}/gs, (whole, inner: string) => {
    const ref = inner.trim();
    const index = go ? /^index\s+(\.[\w.]+)\s+(\d+)$/.exec(ref) : null;
    const key = index ? `${index[1]}.${index[2]}` : ref;
    const value = params[key];
    if (value === undefined) throw new Unreadable(`its template reference ${whole}`);
    return value;
  });
}

/** The Application one parameter set makes: the template's metadata and source, rendered. */
function application(set: AnnotatedObject, template: Data, render: (text: string) => string): AnnotatedObject {
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
    madeBy: { name: set.name, ...(set.namespace !== undefined ? { namespace: set.namespace } : {}) },
  };
}
