import { posix } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { markerOnLine } from '../../patch/find-flux-markers.js';
import type { FluxObject } from '../../state/types.js';
import { imageFields, NO_COUNTER, type AutomationInput, type Counter, type FoundAutomation, type GuardPatch } from './engine.js';
import { pinSelection } from './flux-pin.js';
import { includes, kustomizedNamespace, overlaysOf } from './kustomize-graph.js';
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
  return { diagnostics: [], patches, notes };
}

function pin(input: AutomationInput, marked: string[], names: string, tag: string): Counter {
  const wanted = input.setting.imagePolicy ?? (marked[0] ? marked[0].replace(':', '/') : undefined);
  const policy = input.flux.find((o) => o.kind === 'ImagePolicy' && `${effectiveNamespace(o, input)}/${o.name}` === wanted);
  const refuse = (code: 'HF310' | 'HF353', why: string): Counter => ({ ...NO_COUNTER, diagnostics: [diagnostic(code, why)] });
  if (!policy || !input.files[policy.file])
    return refuse('HF310', `ImagePolicy ${wanted ?? '(none named, and no marker on the image)'} is not in the config repository, so it cannot be pinned; ${names} will push the newer tag back`);
  const ref = `${effectiveNamespace(policy, input)}/${policy.name}`;
  const patched = patchesSettingSelection(policy, input);
  if (patched) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned in ${policy.file}: ${patched} sets its tag filter or policy after it, and that is what Flux applies; pin it there, or suspend ${names} instead`);
  const result = pinSelection(policy.selection ?? {}, tag);
  if ('reason' in result) return refuse('HF353', `ImagePolicy ${ref} cannot be pinned to ${tag}: ${result.reason}; suspend ${names} instead`);
  const selected = result.selects === tag ? tag : `${tag} (ordered as ${result.selects})`;
  return {
    diagnostics: [],
    notes: [],
    patches: [{
      file: policy.file,
      purpose: 'pin-policy',
      patches: [{ document: policy.document, ops: result.ops }],
      message: `Pin image policy ${ref} to ${tag}\n\nImage automation ${names} would otherwise push the newer ${input.image} tag straight back.\nThe policy now selects only ${selected}.\nUnpin it once a fixed image is released.`,
    }],
  };
}

function effectiveNamespace(o: FluxObject, input: AutomationInput): string {
  return o.namespaced === false ? (kustomizedNamespace(o.file, input.scan.kustomizations) ?? o.namespace) : o.namespace;
}

/** The kustomization (and its patch file) that sets this ImagePolicy's selection after its own file, if any. */
function patchesSettingSelection(policy: FluxObject, input: AutomationInput): string | undefined {
  const own = input.scan.kustomizations.filter((k) => includes(k).has(policy.file));
  for (const k of [...own, ...overlaysOf(own, input.scan.kustomizations)]) {
    const target = k.targets.find((t) => t.setsSelection && (t.kind === undefined || t.kind === 'ImagePolicy') && (t.name === undefined || t.name === policy.name));
    if (target) return target.file ? `a patch in ${k.file} (${posix.join(posix.dirname(k.file), target.file)})` : `an inline patch in ${k.file}`;
  }
  return undefined;
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

