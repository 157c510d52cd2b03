import { parseImageRef } from '../../patch/image-ref.js';
import type { AnnotatedObject } from '../../state/types.js';

/**
 * How Argo CD Image Updater v1 reads its `ImageUpdater` resources
 * (argocd-image-updater.argoproj.io/v1alpha1; api/v1alpha1/imageupdater_types.go and
 * pkg/argocd/argocd.go of argoproj-labs/argocd-image-updater): which image entry serves an
 * Application, and the settings that entry ends up with. Pure.
 */

/** An Argo CD Application an ImageUpdater may select: its name, and its namespace and labels where known (a write-back file says neither). */
export interface AppName {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** One `spec.applicationRefs[i].images[j]` entry that updates the image for some Application. */
export interface ImageEntry {
  readonly object: AnnotatedObject;
  readonly at: readonly [number, number];
  readonly alias: string;
  /** The entry's own `commonUpdateSettings`, where it has them (a pin sets a field of them, or adds them). */
  readonly own?: Readonly<Record<string, unknown>>;
  /** False when the settings in effect ignore every tag (`ignoreTags: ["*"]`, the documented way to stop it). */
  readonly active: boolean;
  /** writeBackConfig.method in effect (the ref's over the resource's; `argocd` when neither says). */
  readonly method: string;
  /** The Applications this entry serves. */
  readonly apps: readonly string[];
}

type Data = Record<string, any>;
const isMap = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.filter(isMap) : []);

/**
 * The image entries of one ImageUpdater that update an image named in `names` for the given
 * Applications. As the controller does: only Applications in the resource's own namespace;
 * for each, only the most specific applicationRef whose namePattern matches (the first of
 * equals) whose namePattern and labelSelectors match; a ref with `useAnnotations: true`
 * reads the Application's annotations instead of its images (the annotation form covers
 * it). An Application known only by its write-back file has no known labels: a selector is
 * taken to match it, so the plan warns rather than misses.
 */
export function imageEntries(object: AnnotatedObject, apps: readonly AppName[], names: ReadonlySet<string>): ImageEntry[] {
  const spec: Data = isMap(object.spec) ? object.spec : {};
  const refs = list(spec.applicationRefs).map((ref, i) => ({ ref, i, pattern: typeof ref.namePattern === 'string' ? globRegExp(ref.namePattern) : undefined }));
  // The controller refuses the whole resource when one pattern is not valid.
  if (refs.some((r) => r.pattern === undefined)) return [];
  const ranked = [...refs].sort((a, b) => specificity(b.ref) - specificity(a.ref));
  const namespace = object.namespace ?? 'argocd';
  const out = new Map<string, ImageEntry>();
  for (const app of apps.filter((a) => a.namespace === undefined || a.namespace === namespace)) {
    const chosen = ranked.find((r) => r.pattern!.test(app.name) && (app.labels === undefined || labelsMatch(r.ref.labelSelectors, app.labels)));
    if (!chosen || chosen.ref.useAnnotations === true) continue;
    list(chosen.ref.images).forEach((image, j) => {
      if (!updates(image, names)) return;
      const key = `${chosen.i}/${j}`;
      const seen = out.get(key);
      if (seen) {
        out.set(key, { ...seen, apps: [...seen.apps, app.name] });
        return;
      }
      const effective = merged(spec.commonUpdateSettings, chosen.ref.commonUpdateSettings, image.commonUpdateSettings);
      const method = merged(spec.writeBackConfig, chosen.ref.writeBackConfig).method;
      out.set(key, { object, at: [chosen.i, j], method: typeof method === 'string' ? method : 'argocd', alias: String(image.alias ?? ''), ...(isMap(image.commonUpdateSettings) ? { own: image.commonUpdateSettings } : {}), active: !ignoresAll(effective.ignoreTags), apps: [app.name] });
    });
  }
  return [...out.values()];
}

/** The names Argo CD Image Updater may know the image by: the app's image, and the name the kustomization lists it under. */
export function imageNames(image: string, kustomizeImage: string | undefined): Set<string> {
  return new Set([parseImageRef(image).name, ...(kustomizeImage ? [kustomizeImage] : [])]);
}

/** The namePatterns of the refs whose images update the image, whatever Applications there are. */
export function patternsNaming(object: AnnotatedObject, names: ReadonlySet<string>): string[] {
  const spec: Data = isMap(object.spec) ? object.spec : {};
  return list(spec.applicationRefs)
    .filter((ref) => ref.useAnnotations !== true && typeof ref.namePattern === 'string' && list(ref.images).some((image) => updates(image, names)))
    .map((ref) => ref.namePattern as string);
}

/** A Kubernetes label selector (metav1.LabelSelector) on labels: every matchLabels pair and every matchExpression holds; one it cannot read matches nothing. */
function labelsMatch(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isMap(selector)) return false;
  const pairs = isMap(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return pairs.every(([k, v]) => labels[k] === v) && expressions.every((e) => isMap(e) && expressionHolds(e, labels));
}

function expressionHolds(e: Data, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, e.key);
  const values: unknown[] = Array.isArray(e.values) ? e.values : [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(labels[e.key]);
    case 'NotIn':
      return !has || !values.includes(labels[e.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** Whether an entry updates the image: its imageName, or the kustomize images name it writes. */
function updates(image: Data, names: ReadonlySet<string>): boolean {
  const kustomize = image.manifestTargets?.kustomize?.name;
  return (typeof image.imageName === 'string' && names.has(imageNameOf(image.imageName))) || (typeof kustomize === 'string' && names.has(imageNameOf(kustomize)));
}

/** Settings from the resource, its ref and its image: each field set later wins, field by field (mergeCommonUpdateSettings). */
function merged(...levels: unknown[]): Data {
  return Object.assign({}, ...levels.filter(isMap).map((l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined && v !== null))));
}

/** `ignoreTags` is a list in the resource; the docs also show a single string. */
export function ignoresAll(value: unknown): boolean {
  const tags = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return tags.some((v) => typeof v === 'string' && v.trim() === '*');
}

/** The image's name without the version constraint or tag after its last `:` (a registry port comes before a `/`). */
export function imageNameOf(spec: string): string {
  const slash = spec.lastIndexOf('/');
  const colon = spec.indexOf(':', slash + 1);
  return colon < 0 ? spec : spec.slice(0, colon);
}

/**
 * The controller's ranking of refs (calculateSpecificity): a pattern without wildcards
 * first, then more literal characters (character sets not counted), a label selector and
 * each of its labels and expressions on top.
 */
function specificity(ref: Data): number {
  const pattern = typeof ref.namePattern === 'string' ? ref.namePattern : '';
  let score = /[*?[\]]/.test(pattern) ? 0 : 1_000_000;
  score += pattern.replace(/\[.*?]/g, '').replace(/[*?]/g, '').length;
  if (isMap(ref.labelSelectors)) {
    score += 10_000;
    if (isMap(ref.labelSelectors.matchLabels)) score += Object.keys(ref.labelSelectors.matchLabels).length * 100;
    if (Array.isArray(ref.labelSelectors.matchExpressions)) score += ref.labelSelectors.matchExpressions.length * 100;
  }
  return score;
}

/**
 * A pattern as Go's filepath.Match reads it, which the controller uses for namePattern and
 * Argo's names never hold a `/`: `*` any run of characters, `?` one, `[…]` a set
 * (`[^…]` its complement, `a-z` a range), `\` escapes the next character. Undefined for a
 * pattern filepath.Match rejects (an unclosed set, a trailing `\`).
 */
export function globRegExp(pattern: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) return undefined;
      out += literal(pattern[i]!);
    } else if (c === '[') {
      const end = setEnd(pattern, i);
      if (end === undefined) return undefined;
      out += set(pattern.slice(i + 1, end));
      i = end;
    } else out += literal(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

/** Where a set opened at `start` closes; a `\` escapes a `]` inside it, and an empty set is no pattern. */
function setEnd(pattern: string, start: number): number | undefined {
  for (let i = pattern[start + 1] === '^' ? start + 2 : start + 1, first = true; i < pattern.length; i++, first = false) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return first ? undefined : i;
  }
  return undefined;
}

function set(body: string): string {
  const negated = body.startsWith('^');
  let out = '';
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    const ranges = body[i] === '-' && out !== '' && i < body.length - 1;
    if (body[i] === '\\') i++;
    out += ranges ? '-' : body[i]!.replace(/[\\\]^[-]/, '\\$&');
  }
  return `[${negated ? '^' : ''}${out}]`;
}

function literal(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
