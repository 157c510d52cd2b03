import { posix } from 'node:path';
import type { AnnotatedObject, AutomationScan, KustomizationFile, KustomizePatch } from '../types.js';
import type { CatFileBatch } from './cat-file.js';
import { git } from './run-git.js';
import { argoApplications } from './argo-applications.js';
import { expandApplicationSet, generatorFiles } from './application-sets.js';
import { automationLines, type AutomationLines } from './automation-lines.js';
import { candidateValues, textThroughLastMatch, yamlValues } from './scan-flux.js';

/** The lines ANNOTATION_LINE finds (automation-lines.ts), for picking the documents of a file to parse (flux-documents.ts). */
const ANNOTATION_DOCUMENT = /(fluxcd\.io|flux\.weave\.works)\/(automated|locked|tag\.)|filter\.fluxcd\.io\/|argocd-image-updater\.argoproj\.io\/image-list|kind["']?[ \t]*:[ \t]*["']?ImageUpdater["']?[ \t\r]*$/m;

const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** Where Renovate, Dependabot and release-please keep their configuration. */
const BOT_FILES = new Set([
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.github/dependabot.yml',
  '.github/dependabot.yaml',
  'release-please-config.json',
  '.release-please-manifest.json',
]);

/**
 * What the config repository at `rev` says about the engines that may write it: `$imagepolicy`
 * markers (git grep, or `lines` already found), objects whose annotations turn automation
 * on (each file read only through its last such document), every kustomization, and the
 * files of Argo CD Image Updater's write-back and of pull-request bots (by name).
 */
export async function scanAutomation(repo: string, rev: string, blobs: CatFileBatch, lines?: Promise<AutomationLines>): Promise<AutomationScan> {
  const [{ markers: markerMatches, annotated: annotatedFiles }, paths] = await Promise.all([lines ?? automationLines(repo, rev), treePaths(repo, rev)]);
  const markers = markerMatches.map(({ path, line, match }) => ({ file: path, line, policy: /"([^"]*)"$/.exec(match)?.[1] ?? '' }));
  const annotated: AnnotatedObject[] = [];
  // Every file is asked for at once: cat-file answers in order, and waiting for each answer
  // before the next request costs a round trip per file.
  const texts = await Promise.all(annotatedFiles.map((file) => textThroughLastMatch(repo, rev, file, blobs)));
  annotatedFiles.forEach((file, i) => {
    const text = texts[i];
    if (text !== undefined) for (const object of annotatedObjectsIn(file.path, text)) annotated.push(object);
  });
  const read = (path: string) => blobs.read(`${rev}:${path}`);
  const found = await Promise.all(paths.filter((p) => KUSTOMIZATION.has(posix.basename(p))).map(async (path) => {
    const text = await read(path);
    return text === undefined ? undefined : kustomizationIn(path, text, read);
  }));
  const kustomizations = found.filter((k): k is KustomizationFile => k !== undefined);
  if (annotated.some((o) => o.kind === 'ImageUpdater')) {
    const seen = new Set(annotated.map((o) => `${o.file}\0${o.document}`));
    for (const app of await argoApplications(repo, rev, blobs)) if (!seen.has(`${app.file}\0${app.document}`)) annotated.push(app);
  }
  return {
    markers,
    annotated: await withApplicationSetApps(annotated, paths, read),
    kustomizations,
    writeBackFiles: paths.filter((p) => /^\.argocd-source(-.+)?\.ya?ml$/.test(posix.basename(p))),
    botFiles: paths.filter((p) => BOT_FILES.has(p)),
  };
}

/** ApplicationSets stand with the Applications they make, or say why those cannot be known here; only the files their git file generators match are read. */
async function withApplicationSetApps(annotated: readonly AnnotatedObject[], paths: readonly string[], read: (path: string) => Promise<string | undefined>): Promise<AnnotatedObject[]> {
  const sets = annotated.filter((o) => o.kind === 'ApplicationSet' && o.apiVersion.startsWith('argoproj.io/'));
  if (sets.length === 0) return [...annotated];
  const dirs = [...new Set(paths.flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
  const wanted = [...new Set(sets.flatMap((set) => generatorFiles(set, paths)))];
  const texts = await Promise.all(wanted.map(read));
  const files = Object.fromEntries(wanted.flatMap((path, i) => (texts[i] === undefined ? [] : [[path, texts[i]!]])));
  return annotated.flatMap((o) => {
    if (!sets.includes(o)) return [o];
    const { apps, unexpanded } = expandApplicationSet(o, dirs, files);
    return [unexpanded === undefined ? o : { ...o, unexpanded }, ...apps];
  });
}

async function treePaths(repo: string, rev: string): Promise<string[]> {
  const { stdout } = await git(repo, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev]);
  return stdout.split('\0').filter((p) => p !== '');
}

type Data = Record<string, any>;
const isMap = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Pure: the objects in one file's text whose annotations or kind make them image automation (or whose lines `documents` picks). */
export function annotatedObjectsIn(file: string, text: string, documents: RegExp = ANNOTATION_DOCUMENT): AnnotatedObject[] {
  const out: AnnotatedObject[] = [];
  for (const [value, document] of candidateValues(text, documents)) {
    if (!isMap(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') continue;
    const meta = isMap(value.metadata) ? value.metadata : {};
    const stringsOf = (v: unknown) => Object.fromEntries(Object.entries(isMap(v) ? v : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const annotations = stringsOf(meta.annotations);
    const spec = isMap(value.spec) ? value.spec : {};
    const source = isMap(spec.source) ? spec.source : Array.isArray(spec.sources) && isMap(spec.sources[0]) ? spec.sources[0] : undefined;
    out.push({
      file,
      document,
      apiVersion: value.apiVersion,
      kind: value.kind,
      name: typeof meta.name === 'string' ? meta.name : '',
      ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
      annotations,
      ...(value.kind === 'Application' ? { labels: stringsOf(meta.labels) } : {}),
      containers: containersOf(value.kind, spec),
      ...(source ? { source: pick(source, ['repoURL', 'path', 'targetRevision']) } : {}),
      ...(value.kind === 'ImageUpdater' || value.kind === 'ApplicationSet' ? { spec } : {}),
    });
  }
  return out;
}

function pick(data: Data, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => typeof data[k] === 'string').map((k) => [k, data[k] as string]));
}

/**
 * Container name → image. Flux v1 names a HelmRelease's images after their values key:
 * `chart-image` for `values.image`, `NAME` for `values.NAME.image`.
 */
function containersOf(kind: string, spec: Data): Record<string, string> {
  const out: Record<string, string> = {};
  if (kind === 'HelmRelease') {
    const values = isMap(spec.values) ? spec.values : {};
    const image = (v: unknown) => (typeof v === 'string' ? v : isMap(v) && typeof v.repository === 'string' ? (typeof v.tag === 'string' ? `${v.repository}:${v.tag}` : v.repository) : undefined);
    const top = image(values.image);
    if (top) out['chart-image'] = top;
    for (const [key, v] of Object.entries(values)) {
      const nested = isMap(v) ? image(v.image) : undefined;
      if (nested) out[key] = nested;
    }
    return out;
  }
  const template = kind === 'CronJob' ? spec.jobTemplate?.spec?.template : spec.template;
  const pod = isMap(template) && isMap(template.spec) ? template.spec : {};
  for (const c of [...(Array.isArray(pod.initContainers) ? pod.initContainers : []), ...(Array.isArray(pod.containers) ? pod.containers : [])])
    if (isMap(c) && typeof c.name === 'string' && typeof c.image === 'string') out[c.name] = c.image;
  return out;
}

/**
 * A kustomization's references, and its patches in the order kustomize applies them
 * (patchesStrategicMerge, then patches, then patchesJson6902), each with what it targets,
 * whether it sets an ImagePolicy's tag selection and, for a patch file, its documents.
 */
export async function kustomizationIn(file: string, text: string, readFile: (path: string) => Promise<string | undefined>): Promise<KustomizationFile> {
  const value = yamlValues(text)[0];
  const k = isMap(value) ? value : {};
  const dir = posix.dirname(file);
  const patches: string[] = [];
  const targets: KustomizePatch[] = [];
  const bodiesOf = async (path: string) => {
    patches.push(path);
    const patchText = await readFile(posix.join(dir, path));
    return patchText === undefined ? [] : yamlValues(patchText);
  };
  for (const entry of strings(k.patchesStrategicMerge)) {
    if (entry.includes('\n')) for (const body of yamlValues(entry)) targets.push({ ...objectTarget(body), setsSelection: setsSelection(body) });
    else for (const [document, body] of (await bodiesOf(entry)).entries()) targets.push({ ...objectTarget(body), file: entry, document, body, setsSelection: setsSelection(body) });
  }
  for (const entry of [...(Array.isArray(k.patches) ? k.patches : []), ...(Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : [])].filter(isMap)) {
    const target = pick(isMap(entry.target) ? entry.target : {}, ['kind', 'name', 'namespace']);
    if (typeof entry.patch === 'string') targets.push({ ...target, setsSelection: yamlValues(entry.patch).some(setsSelection) });
    else if (typeof entry.path === 'string')
      for (const [document, body] of (await bodiesOf(entry.path)).entries()) targets.push({ ...objectTarget(body), ...target, file: entry.path, document, body, setsSelection: setsSelection(body) });
  }
  return {
    file,
    resources: [...strings(k.resources), ...strings(k.bases), ...strings(k.components)],
    patches,
    targets,
    ...(typeof k.namespace === 'string' ? { namespace: k.namespace } : {}),
  };
}

function objectTarget(body: unknown): { kind?: string; name?: string } {
  if (!isMap(body)) return {};
  const name = isMap(body.metadata) ? body.metadata.name : undefined;
  return { ...(typeof body.kind === 'string' ? { kind: body.kind } : {}), ...(typeof name === 'string' ? { name } : {}) };
}

/** A JSON 6902 list touching /spec/filterTags or /spec/policy, or a merge patch setting either. */
function setsSelection(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((op) => isMap(op) && typeof op.path === 'string' && /^\/spec(\/(filterTags|policy)(\/|$)|$)/.test(op.path));
  return isMap(body) && isMap(body.spec) && (body.spec.filterTags !== undefined || body.spec.policy !== undefined);
}
