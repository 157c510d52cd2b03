import { posix } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { markerOnLine } from '../../patch/find-flux-markers.js';
import type { FluxObject, TagSelection } from '../../state/types.js';
import { imageFields, NO_COUNTER, type AutomationInput, type Counter, type FoundAutomation, type GuardPatch } from './engine.js';
import { pinSelection } from './flux-pin.js';
import { kustomizedNamespace, patchesOf } from '../../kustomize/kustomize-graph.js';
import { selectionPatches } from '../../kustomize/selection-patches.js';
import { pinWhereItWins } from './pin-where-it-wins.js';
import { considers } from './setting.js';

export function fluxRef(o: FluxObject): string {
  return `${o.namespace}/${o.name}`;
}

/**
 * The ImageUpdateAutomations that would write this environment's image: the one the policy
 * names, or any that pushes to the config branch with the config file under its update
 * path; with the Setters strategy (Flux's only one), only where a field holding the image
 * carries a `$imagepolicy` marker, since Flux writes nothing else. Pure.
 */
export function fluxAutomations(input: AutomationInput): { automations: FluxObject[]; marked: string[] } {
  if (!considers(input.setting, 'flux')) return { automations: [], marked: [] };
  const named = input.setting.engine === 'flux' ? input.setting.object : undefined;
  const marked = [...new Set(imageFields(input).map((f) => markerOnLine(input.config.text, f.line)).filter((m): m is string => m !== undefined))];
  const automations = input.flux.filter(
    (o) => o.kind === 'ImageUpdateAutomation' && (named ? fluxRef(o) === named : writesPath(o, input)) && (!isSetters(o) || marked.length > 0),
  );
  return { automations, marked };
}

export function findFlux(input: AutomationInput): FoundAutomation[] {
  return fluxAutomations(input).automations.map((o) => ({ engine: 'flux', name: fluxRef(o), file: o.file, writesBack: true, active: !o.suspended }));
}

export function counterFlux(input: AutomationInput, targetTag: string | undefined): Counter {
  const { automations, marked } = fluxAutomations(input);
  const active = automations.filter((o) => !o.suspended);
  const named = input.setting.engine === 'flux' ? input.setting.object : undefined;
  if (active.length === 0) {
    if (named && !input.flux.some((o) => o.kind === 'ImageUpdateAutomation' && fluxRef(o) === named)) {
      const [ns, name] = named.split('/');
      return { ...NO_COUNTER, diagnostics: [diagnostic('HF310', `ImageUpdateAutomation ${named} is not in the config repository; if it runs in the cluster, suspend it there (flux suspend image update ${name} -n ${ns}) or it will push the newer tag back`)] };
    }
    return NO_COUNTER;
  }
  const names = active.map((o) => `${fluxRef(o)} (${o.file})`).join(', ');
  const policies = marked.map((m) => m.split(':').slice(0, 2).join(':'));
  if (input.setting.onRollback === 'suspend') return suspend(input, active, new Set(policies));
  // A target without a tag (a digest only) cannot be pinned: warned about like `warn`.
  if (input.setting.onRollback === 'pin' && targetTag !== undefined) return pin(input, policies, names, targetTag);
  return { ...NO_COUNTER, diagnostics: [diagnostic('HF310', `image automation ${names} is active and will push the newer ${input.image} tag straight back; suspend it, or set automation.onRollback to suspend or pin`)] };
}

/** Suspends each automation, saying how many other markers and ImagePolicies it stops writing too. */
function suspend(input: AutomationInput, active: FluxObject[], ours: Set<string>): Counter {
  const notes: string[] = [];
  const patches = active.map((o): GuardPatch => {
    const others = input.scan.markers.filter((m) => underPath(o, m.file) && !ours.has(m.policy.split(':').slice(0, 2).join(':')));
    const otherPolicies = [...new Set(others.map((m) => m.policy.split(':').slice(0, 2).join(':')))].sort();
    const radius =
      others.length === 0
        ? `It writes no other marker: nothing else stops being updated.`
        : `Suspending it also stops ${others.length} other marker${others.length === 1 ? '' : 's'} of ${otherPolicies.length} other ImagePolic${otherPolicies.length === 1 ? 'y' : 'ies'} (${otherPolicies.join(', ')}) under ${o.target ?? '/'} from being updated until it is resumed.`;
    notes.push(`Suspending image automation ${fluxRef(o)}: ${radius}`);
    return {
      file: o.file,
      purpose: 'suspend-automation',
      patches: [{ document: o.document, ops: [{ op: 'add', path: '/spec/suspend', value: true }] }],
      message: `Suspend image automation ${fluxRef(o)}\n\nIt would push the newer ${input.image} tag straight back after the rollback.\n${radius}\nResume it (spec.suspend: false) once a fixed image is released.`,
    };
  });
  return { ...NO_COUNTER, patches, notes };
}

function pin(input: AutomationInput, marked: string[], names: string, tag: string): Counter {
  const wanted = input.setting.imagePolicy ?? (marked[0] ? marked[0].replace(':', '/') : undefined);
  // A strategic merge patch reads like the ImagePolicy it patches, but is not one.
  const patchFiles = new Set(input.scan.kustomizations.flatMap(patchesOf));
  const policy = input.flux.find((o) => o.kind === 'ImagePolicy' && !patchFiles.has(o.file) && `${effectiveNamespace(o, input)}/${o.name}` === wanted);
  const refuse = (code: 'HF310' | 'HF353', why: string): Counter => ({ ...NO_COUNTER, diagnostics: [diagnostic(code, why)] });
  if (!policy || !input.files[policy.file])
    return refuse('HF310', `ImagePolicy ${wanted ?? '(none named, and no marker on the image)'} is not in the config repository, so it cannot be pinned; ${names} will push the newer tag back`);
  const ref = `${effectiveNamespace(policy, input)}/${policy.name}`;
  const patches = selectionPatches(policy, input.scan.kustomizations);
  const effective: { selection: TagSelection; dirs?: string[] } | { reason: string } = patches.length > 0 ? renderedSelection(input, policy, ref) : { selection: policy.selection ?? {} };
  if ('reason' in effective) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned: ${effective.reason}; suspend ${names} instead`);
  const result = pinSelection(effective.selection, tag);
  if ('reason' in result) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned to ${tag}: ${result.reason}; suspend ${names} instead`);
  const placed = pinWhereItWins(policy, patches, result.ops, (path) => fieldOf(effective.selection, path));
  if ('reason' in placed) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned to ${tag}: ${placed.reason}; suspend ${names} instead`);
  const unread = placed.edits.find((e) => !input.files[e.file]);
  if (unread) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned to ${tag}: ${unread.file} was not read; suspend ${names} instead`);
  const selected = result.selects === tag ? tag : `${tag} (ordered as ${result.selects})`;
  const files = [...new Set(placed.edits.map((e) => e.file))];
  const via = patches.length > 0 ? `\nkubectl kustomize ${effective.dirs!.join(', ')} renders it from ${files.join(' and ')}; the pin is written where each field wins.` : '';
  const render = patches.length > 0 ? { dirs: effective.dirs!, namespace: ref.split('/')[0]!, name: policy.name, selection: result.selection } : undefined;
  return {
    ...NO_COUNTER,
    patches: files.map((file) => ({
      file,
      purpose: 'pin-policy' as const,
      patches: placed.edits.filter((e) => e.file === file).map((e) => e.patch),
      message: `Pin image policy ${ref} to ${tag}\n\nImage automation ${names} would otherwise push the newer ${input.image} tag straight back.\nThe policy now selects only ${selected}.${via}\nUnpin it once a fixed image is released.`,
      ...(render ? { render } : {}),
    })),
  };
}

/** The selection Flux sees, as every outermost kustomization renders it; refused where a render failed or they disagree. */
function renderedSelection(input: AutomationInput, policy: FluxObject, ref: string): { selection: TagSelection; dirs: string[] } | { reason: string } {
  const renders = (input.scan.rendered ?? []).filter((r) => r.name === policy.name && r.namespace === ref.split('/')[0]);
  if (renders.length === 0) return { reason: `a kustomize patch sets its tag selection and no render of it was made` };
  const failed = renders.find((r) => 'error' in r);
  if (failed && 'error' in failed) return { reason: `a kustomize patch sets its tag selection, and rendering ${failed.dir || '.'} to read it failed: ${failed.error}` };
  const selections = renders.map((r) => ('selection' in r ? r.selection : {}));
  if (new Set(selections.map((s) => JSON.stringify(s))).size > 1)
    return { reason: `kustomize renders it differently in ${renders.map((r) => r.dir || '.').join(' and ')}, so no single edit pins it` };
  return { selection: selections[0]!, dirs: renders.map((r) => r.dir) };
}

function fieldOf(selection: TagSelection, path: string): unknown {
  const fields: Record<string, unknown> = { '/spec/filterTags/pattern': selection.pattern, '/spec/filterTags/extract': selection.extract, '/spec/policy/semver/range': selection.semverRange };
  return fields[path];
}

function effectiveNamespace(o: FluxObject, input: AutomationInput): string {
  return o.namespaced === false ? (kustomizedNamespace(o.file, input.scan.kustomizations) ?? o.namespace) : o.namespace;
}

function isSetters(o: FluxObject): boolean {
  return o.strategy === undefined || o.strategy.toLowerCase() === 'setters';
}

function writesPath(o: FluxObject, input: AutomationInput): boolean {
  if (o.branch !== undefined && o.branch !== input.env.config.branch) return false;
  return underPath(o, input.env.config.file);
}

function underPath(o: FluxObject, file: string): boolean {
  if (o.target === undefined) return true;
  const base = posix.normalize(o.target).replace(/^\.\/?/, '').replace(/\/$/, '');
  return base === '' || base === '.' || file === base || file.startsWith(`${base}/`);
}

