import { posix } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { formatPointer } from '../../patch/json-pointer.js';
import type { PatchOp } from '../../patch/patch-yaml.js';
import type { AnnotatedObject } from '../../state/types.js';
import { NO_COUNTER, exactly, type AutomationInput, type Counter, type FoundAutomation, type GuardPatch } from './engine.js';
import { combinedFiles } from '../../kustomize/kustomize-graph.js';
import { considers } from './setting.js';
import { overridingWriteBacks } from './argocd-source-override.js';
import { ignoresAll, imageEntries, imageNameOf, imageNames, patternsNaming, type AppName, type ImageEntry } from './image-updater-cr.js';
import { argocdOverrideFiles } from '../../kustomize/argocd-overrides.js';

const PREFIX = 'argocd-image-updater.argoproj.io';

/** One entry of `image-list`: `[alias=]image[:constraint]`. */
interface ListedImage {
  readonly text: string;
  readonly alias?: string;
  readonly name: string;
}

/** An object of Argo CD Image Updater that updates this image for an Application that renders the config file. */
type Updater =
  | { readonly kind: 'application'; readonly object: AnnotatedObject; readonly entry: ListedImage; readonly entries: readonly ListedImage[]; readonly active: boolean }
  | ({ readonly kind: 'image-updater' } & ImageEntry)
  | { readonly kind: 'outside'; readonly app: string; readonly file: string }
  | { readonly kind: 'unresolved'; readonly object: AnnotatedObject; readonly patterns: readonly string[] }
  /**
   * An ApplicationSet that may make an Application rendering the config file, but whose
   * Applications cannot be known here: its template lists the image (or a templated one),
   * or an ImageUpdater of the repository may select them by name.
   */
  | { readonly kind: 'unexpanded-set'; readonly object: AnnotatedObject; readonly why: string; readonly through: 'template' | 'image-updater' };

/**
 * The Applications (image-list annotation) and ImageUpdater resources that update this
 * image where the config file is rendered, and the write-back files of Applications that
 * are not in the repository. Pure.
 */
export function imageUpdaters(input: AutomationInput): Updater[] {
  if (!considers(input.setting, 'argocd-image-updater')) return [];
  const names = imageNames(input.image, input.env.config.locator.kustomizeImage);
  const wanted = input.setting.engine === 'argocd-image-updater' ? input.setting.object : undefined;
  const ref = (o: AnnotatedObject) => `${o.namespace ?? 'argocd'}/${o.name}`;
  const apps = input.scan.annotated.filter((o) => o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/') && renders(o, input));
  const out: Updater[] = [];
  for (const object of apps) {
    const entries = imageList(object.annotations[`${PREFIX}/image-list`] ?? '');
    const entry = entries.find((e) => names.has(e.name));
    if (!entry || (wanted && ref(object) !== wanted)) continue;
    out.push({ kind: 'application', object, entry, entries, active: !ignoresAll(object.annotations[`${PREFIX}/${aliasKey(entry)}.ignore-tags`]) });
  }
  // The config file may be a write-back file itself, or sit under one's source directory.
  const writeBacks = [...input.scan.writeBackFiles.filter((f) => f === input.config.path), ...argocdOverrideFiles(input.config.path, input.scan.writeBackFiles, input.scan.kustomizations)].filter(
    (f) => posix.basename(f).startsWith('.argocd-source-'),
  );
  const appNames: AppName[] = [...apps.map(appName), ...writeBacks.map(appOfWriteBack)];
  for (const object of input.scan.annotated.filter((o) => o.kind === 'ImageUpdater' && o.apiVersion.startsWith(`${PREFIX}/`))) {
    if (wanted && ref(object) !== wanted) continue;
    const entries = imageEntries(object, appNames, names);
    out.push(...entries.map((e) => ({ kind: 'image-updater' as const, ...e })));
    // Applications an ApplicationSet makes, or kept in the cluster: which one renders the config is not known here.
    const patterns = appNames.length === 0 ? patternsNaming(object, names) : [];
    if (entries.length === 0 && patterns.length > 0) out.push({ kind: 'unresolved', object, patterns });
  }
  const updatersHere = input.scan.annotated.filter((o) => o.kind === 'ImageUpdater' && o.apiVersion.startsWith(`${PREFIX}/`) && !(wanted && ref(o) !== wanted));
  for (const object of input.scan.annotated.filter((o) => o.kind === 'ApplicationSet' && o.unexpanded !== undefined && mayRender(o, input))) {
    const listed = templateImageList(object);
    const lists = listed !== undefined && (listed.includes('{{') || imageList(listed).some((e) => names.has(e.name))) && !(wanted && ref(object) !== wanted);
    if (lists || updatersHere.length > 0) out.push({ kind: 'unexpanded-set', object, why: object.unexpanded!, through: lists ? 'template' : 'image-updater' });
  }
  const covered = new Set([...apps.map((a) => a.name), ...out.flatMap((u) => (u.kind === 'image-updater' ? u.apps : []))]);
  for (const file of writeBacks) {
    const app = appOfWriteBack(file).name;
    if (!covered.has(app) && !wanted) out.push({ kind: 'outside', app, file });
  }
  return out;
}

export function findImageUpdaters(input: AutomationInput): FoundAutomation[] {
  return imageUpdaters(input).map((u) =>
    u.kind === 'outside'
      ? { engine: 'argocd-image-updater', name: `Application ${u.app} (not in the repository)`, file: u.file, writesBack: true, active: true }
      : u.kind === 'unresolved'
      ? { engine: 'argocd-image-updater', name: `${u.object.kind} ${u.object.namespace ?? 'argocd'}/${u.object.name} for Applications ${u.patterns.join(', ')} (not in the repository)`, file: u.object.file, writesBack: true, active: true }
      : u.kind === 'unexpanded-set'
      ? { engine: 'argocd-image-updater', name: `ApplicationSet ${u.object.namespace ?? 'argocd'}/${u.object.name} (its Applications unknown: ${u.why})`, file: u.object.file, writesBack: true, active: true }
      : { engine: 'argocd-image-updater', name: `${u.object.kind} ${u.object.namespace ?? 'argocd'}/${u.object.name}${madeBy(u.object)}${u.kind === 'image-updater' ? ` image ${u.alias}` : ''}`, file: u.object.file, writesBack: true, active: u.active },
  );
}

/** Restricts the image to the rollback tag (pin) or takes it off image-list (suspend), in git; else warns (HF351, HF352). */
export function counterImageUpdaters(input: AutomationInput, targetTag: string | undefined): Counter {
  const updaters = imageUpdaters(input).filter((u) => u.kind === 'outside' || u.kind === 'unresolved' || u.kind === 'unexpanded-set' || u.active);
  // Whatever engine the policy names, a write-back file that overrides the image decides what runs.
  const { diagnostics, edits: rollbackEdits } = overridingWriteBacks(input, targetTag);
  const patches: GuardPatch[] = [];
  const { onRollback } = input.setting;
  const allow = targetTag === undefined ? undefined : `regexp:${exactly(targetTag)}`;
  for (const u of updaters) {
    if (u.kind === 'outside') {
      diagnostics.push(
        diagnostic('HF352', `Argo CD Image Updater writes ${u.file} for Application ${u.app}, which is not in this repository: its settings live in the cluster (kubectl get applications.argoproj.io -A, usually namespace argocd). If it updates ${input.image}, restrict it there before the rollback merges: kubectl -n argocd annotate application ${u.app} ${PREFIX}/<alias>.allow-tags=${allow ?? 'regexp:^<tag>$'} --overwrite (or allowTags in its ImageUpdater)`),
      );
      continue;
    }
    if (u.kind === 'unresolved') {
      diagnostics.push(
        diagnostic('HF352', `ImageUpdater ${u.object.namespace ?? 'argocd'}/${u.object.name} (${u.object.file}) updates ${input.image} for Applications named ${u.patterns.join(', ')}, none of which is in this repository (an ApplicationSet or the cluster makes them: kubectl get applications.argoproj.io -n ${u.object.namespace ?? 'argocd'}). If one of them renders ${input.config.path}, restrict that image's commonUpdateSettings.allowTags to ${allow ?? 'regexp:^<tag>$'} in its applicationRef before the rollback merges`),
      );
      continue;
    }
    if (u.kind === 'unexpanded-set') {
      diagnostics.push(unlistedApplications(input, u, allow));
      continue;
    }
    const where = `${u.object.kind} ${u.object.namespace ?? 'argocd'}/${u.object.name}${madeBy(u.object)} (${u.object.file})`;
    const method = u.kind === 'application' ? (u.object.annotations[`${PREFIX}/write-back-method`] ?? 'argocd') : u.method;
    const file = input.files[u.object.file];
    if (onRollback !== 'warn' && u.kind === 'application' && u.object.madeBy) {
      const set = { ...u.object, kind: 'ApplicationSet', name: u.object.madeBy.name, ...(u.object.madeBy.namespace !== undefined ? { namespace: u.object.madeBy.namespace } : {}) };
      diagnostics.push(applicationSetFinding(input, set, `makes Application ${u.object.name}${u.object.madeBy.perCluster ? ' for each cluster it selects' : ''}, whose image-list updates ${input.image} (write-back ${method}) and will write the newer tag back`, allow, perClusterCheck(u.object)));
      continue;
    }
    if (onRollback === 'warn' || !file || (onRollback === 'pin' && allow === undefined)) {
      diagnostics.push(diagnostic('HF351', `Argo CD Image Updater updates ${input.image} through ${where} (write-back ${method}) and will write the newer tag back; set automation.onRollback to pin (allow only the rollback tag) or suspend (stop updating it)${perClusterCheck(u.object)}`));
      continue;
    }
    const edit = u.kind === 'application' ? applicationEdit(u, onRollback, allow!) : imageUpdaterEdit(u, onRollback, allow!, alsoServed(u, input));
    patches.push({
      file: u.object.file,
      purpose: edit.purpose,
      patches: [{ document: u.object.document, ops: edit.ops }],
      message: `${edit.title} in ${u.object.kind} ${u.object.namespace ?? 'argocd'}/${u.object.name}\n\nArgo CD Image Updater would write the newer ${input.image} tag straight back after the rollback.\n${edit.undo}`,
    });
    // Through the API the updater sets the tag in the live Application, which Argo CD renders
    // over the repository: stopping it leaves that tag in place, where a pin makes it set the
    // rollback tag itself.
    if (edit.purpose === 'suspend-automation' && method === 'argocd') {
      const apps = u.kind === 'application' ? [u.object.name] : u.apps;
      diagnostics.push(
        diagnostic('HF357', `${where} writes back through the Argo CD API (write-back argocd, the default): the tag it last set for ${input.image} stays in the spec.source of Application ${apps.join(', ')} in the cluster, which Argo CD renders over ${input.config.path}, and suspending it does not reset it. Reset it when the rollback merges (argocd app unset ${apps[0]} --kustomize-image ${parseImageRef(input.image).name}, or -p for a Helm parameter), or use automation.onRollback: pin, with which the updater sets the rollback tag itself`),
      );
    }
  }
  return { ...NO_COUNTER, diagnostics, patches, rollbackEdits };
}

function applicationEdit(u: Extract<Updater, { kind: 'application' }>, onRollback: 'suspend' | 'pin', allow: string): { purpose: GuardPatch['purpose']; ops: PatchOp[]; title: string; undo: string } {
  const annotation = (key: string) => formatPointer(['metadata', 'annotations', key]);
  if (onRollback === 'pin' && u.entry.alias !== undefined)
    return {
      purpose: 'pin-policy',
      ops: [{ op: 'add', path: annotation(`${PREFIX}/${aliasKey(u.entry)}.allow-tags`), value: allow }],
      title: `Allow only ${allow.slice('regexp:'.length)} for ${u.entry.alias}`,
      undo: 'Remove the allow-tags annotation once a fixed image is released.',
    };
  const rest = u.entries.filter((e) => e !== u.entry).map((e) => e.text);
  const list = annotation(`${PREFIX}/image-list`);
  const current = u.object.annotations[`${PREFIX}/image-list`]!;
  return {
    purpose: 'suspend-automation',
    ops: [{ op: 'test', path: list, value: current }, rest.length > 0 ? { op: 'replace', path: list, value: rest.join(', ') } : { op: 'remove', path: list }],
    title: `Take ${u.entry.text} off image-list`,
    undo: `${onRollback === 'pin' ? 'The image has no alias to restrict its tags by, so it is taken off the list.\n' : ''}Put it back (${current}) once a fixed image is released.`,
  };
}

/** The other Applications in the repository that the same image entry serves: a pin or suspend holds their image too. */
function alsoServed(u: Extract<Updater, { kind: 'image-updater' }>, input: AutomationInput): string[] {
  const all = input.scan.annotated.filter((o) => o.kind === 'Application' && o.apiVersion.startsWith('argoproj.io/')).map(appName);
  const same = imageEntries(u.object, all, imageNames(input.image, input.env.config.locator.kustomizeImage)).find((e) => e.at[0] === u.at[0] && e.at[1] === u.at[1]);
  return (same?.apps ?? []).filter((app) => !u.apps.includes(app));
}

function imageUpdaterEdit(u: Extract<Updater, { kind: 'image-updater' }>, onRollback: 'suspend' | 'pin', allow: string, others: readonly string[]): { purpose: GuardPatch['purpose']; ops: PatchOp[]; title: string; undo: string } {
  const [i, j] = u.at;
  const base = ['spec', 'applicationRefs', i, 'images', j, 'commonUpdateSettings'];
  const [key, value] = onRollback === 'pin' ? ['allowTags', allow] : ['ignoreTags', ['*']];
  const field = formatPointer([...base, key]);
  const before = u.own?.[key];
  return {
    purpose: onRollback === 'pin' ? 'pin-policy' : 'suspend-automation',
    ops: !u.own ? [{ op: 'add', path: formatPointer(base), value: { [key]: value } }] : before === undefined ? [{ op: 'add', path: field, value }] : [{ op: 'test', path: field, value: before }, { op: 'replace', path: field, value }],
    title: `${onRollback === 'pin' ? `Allow only ${allow.slice('regexp:'.length)}` : 'Ignore every tag'} for image ${u.alias}`,
    undo: `${others.length > 0 ? `The entry also serves ${others.join(', ')}, whose image it holds as well.\n` : ''}${before === undefined ? `Remove ${key} once a fixed image is released.` : `Put ${key} back to ${JSON.stringify(before)} once a fixed image is released.`}`,
  };
}

/**
 * Whether the Application renders the config file: its source path holds it or builds it
 * with kustomize. A path that names a cluster's value (`clusters/{{name}}`), made per
 * cluster, may be any directory in that place.
 */
function renders(app: AnnotatedObject, input: AutomationInput): boolean {
  return app.source?.path !== undefined && rendersPath(app.source.path, input, '[^/]+');
}

/**
 * Whether an ApplicationSet whose Applications cannot be listed may make one that renders
 * the config file: its template's source path, a reference standing for any path (a pull
 * request's branch, a repository's path), leads there. A template whose source is not
 * written plainly (templatePatch, several sources) may; one that names only a chart does not.
 */
function mayRender(set: AnnotatedObject, input: AutomationInput): boolean {
  const spec = (set.spec as { template?: { spec?: { source?: { path?: unknown }; sources?: unknown } } } | undefined)?.template?.spec;
  const source = spec?.source ?? (Array.isArray(spec?.sources) && spec!.sources.length === 1 ? (spec!.sources[0] as { path?: unknown }) : undefined);
  if (source === undefined) return true;
  return typeof source.path === 'string' && rendersPath(source.path, input, '.*');
}

function rendersPath(path: string, input: AutomationInput, reference: string): boolean {
  const dir = posix.normalize(path).replace(/^\.\/?/, '').replace(/\/$/, '');
  const pattern = new RegExp(`^${dir.split(/\{\{.*?\}\}/s).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(reference)}$`);
  const ancestors = posix.dirname(input.config.path).split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  if (dir === '' || dir === '.' || ancestors.some((a) => pattern.test(a))) return true;
  return input.scan.kustomizations.some((k) => pattern.test(posix.dirname(k.file)) && combinedFiles(k.file, input.scan.kustomizations).has(input.config.path));
}

function imageList(value: string): ListedImage[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((text) => {
      const eq = text.indexOf('=');
      const alias = eq > 0 ? text.slice(0, eq) : undefined;
      return { text, ...(alias !== undefined ? { alias } : {}), name: imageNameOf(eq > 0 ? text.slice(eq + 1) : text) };
    });
}

/** Annotation keys cannot hold `/`: the updater reads an alias's `/` as `_`. */
function aliasKey(entry: ListedImage): string {
  return (entry.alias ?? entry.name).replace(/\//g, '_');
}

/**
 * HF366: hotfix edits no ApplicationSet template, since every Application it makes reads
 * the same annotations (a templated image-list would not even say which entry to change).
 */
function applicationSetFinding(input: AutomationInput, set: AnnotatedObject, what: string, allow: string | undefined, check = '') {
  return diagnostic(
    'HF366',
    `ApplicationSet ${set.namespace ?? 'argocd'}/${set.name} (${set.file}) ${what}; hotfix does not edit an ApplicationSet's template, which every Application it makes shares. Before the rollback merges, restrict that Application's alias to ${allow ?? 'regexp:^<tag>$'} (allow-tags) through the template, or move its image to an ImageUpdater resource, whose applicationRefs a plan can pin${check}`,
  );
}

/**
 * HF238: the Applications of a set whose generators only the controller evaluates cannot be
 * listed, so automation they carry is unseen; the set's status.resources lists them.
 */
function unlistedApplications(input: AutomationInput, u: Extract<Updater, { kind: 'unexpanded-set' }>, allow: string | undefined) {
  const set = u.object;
  const ns = set.namespace ?? 'argocd';
  const carried =
    u.through === 'template'
      ? `each carries its template's image-list (${templateImageList(set)}), which may update ${input.image}`
      : `the ImageUpdater${input.scan.annotated.filter((o) => o.kind === 'ImageUpdater').length === 1 ? '' : 's'} of this repository may select them by name and update ${input.image}`;
  return diagnostic(
    'HF238',
    `ApplicationSet ${ns}/${set.name} (${set.file}) may make an Application that renders ${input.config.path}, but which Applications it makes cannot be listed from the repository (${u.why}); ${carried}, so image automation they carry is not seen by this plan and may write a newer tag back after the rollback merges. List them with kubectl get applicationsets.argoproj.io ${set.name} -n ${ns} -o jsonpath='{.status.resources[*].name}' and, before the rollback merges, restrict ${input.image} to ${allow ?? 'regexp:^<tag>$'} (allow-tags) wherever one of them updates it`,
  );
}

/** ` (made by ApplicationSet ns/name)` for an Application an ApplicationSet makes, and for which clusters. */
function madeBy(o: AnnotatedObject): string {
  if (!o.madeBy) return '';
  const clusters = o.madeBy.perCluster === undefined ? '' : ` for each cluster secret ${o.madeBy.perCluster}`;
  return ` (made by ApplicationSet ${o.madeBy.namespace ?? 'argocd'}/${o.madeBy.name}${clusters})`;
}

/**
 * Where an Application made per cluster lives and how to see which exist: its name and
 * count come from Argo CD's cluster secrets, which only the cluster holds.
 */
function perClusterCheck(o: AnnotatedObject): string {
  const selector = o.madeBy?.perCluster;
  if (selector === undefined) return '';
  const ns = o.namespace ?? 'argocd';
  return `. Its clusters generator makes ${o.name} once per Argo CD cluster secret labelled ${selector}, which only the cluster holds; those Applications live in namespace ${ns} of the cluster Argo CD runs in: see which exist with kubectl get secrets -n ${o.madeBy!.namespace ?? 'argocd'} -l '${selector}' and kubectl get applications.argoproj.io -n ${ns}`;
}

/** The image-list annotation of an ApplicationSet's template, as written (maybe templated). */
function templateImageList(set: AnnotatedObject): string | undefined {
  const template = (set.spec as { template?: { metadata?: { annotations?: Record<string, unknown> } } } | undefined)?.template;
  const value = template?.metadata?.annotations?.[`${PREFIX}/image-list`];
  return typeof value === 'string' ? value : undefined;
}

function appName(app: AnnotatedObject): AppName {
  return { name: app.name, namespace: app.namespace ?? 'argocd', labels: app.labels ?? {} };
}

/** `.argocd-source-<app>.yaml`, or `.argocd-source-<namespace>_<app>.yaml` for an Application outside the controller's namespace (names hold no `_`). */
function appOfWriteBack(file: string): AppName {
  const base = posix.basename(file).replace(/^\.argocd-source-/, '').replace(/\.ya?ml$/, '');
  const cut = base.indexOf('_');
  return cut < 0 ? { name: base } : { namespace: base.slice(0, cut), name: base.slice(cut + 1) };
}
