import { HotfixError } from '../diagnostics/errors.js';
import { checkState, checkStateText, latestByName, type CheckReport } from '../forge/check-reports.js';
import { parseImageRef } from '../patch/image-ref.js';
import { readImage, type RegistryOptions } from '../state/registry/read-image.js';
import type { GateAction } from './apply-plan.js';
import type { GateAnswer, GateTag } from './gate-answer.js';
import { listTags } from '../state/registry/list-tags.js';
import { fittingTags } from '../plan/tag-at-gate.js';

export interface GateSources {
  readonly registry: RegistryOptions;
  /** The checks a person attested with `--check NAME`, and who they are. */
  readonly attested: ReadonlySet<string>;
  readonly attester: string;
  /**
   * The forge's reports on the gate's revision, for a gate that reads them; rejects with a
   * HotfixError coded HF513 (refused) or HF514 (failed).
   */
  readonly reports?: (gate: GateAction) => Promise<CheckReport[]>;
  /**
   * The revision labels earlier checks of this apply read of fitting tags built from another
   * commit (image → label), kept across the checks of a wait: a tag CI completes at build
   * time names one build, so it is not read again at every look.
   */
  readonly otherBuilds?: Map<string, string | undefined>;
}

const FORGE_READ_CODES = new Set(['HF513', 'HF514']);

/**
 * What a gate still waits for, or that it is met: the hotfix image in the registry, built
 * from the hotfix head (its revision label says so), and every required check done: as the
 * forge reports it where the gate reads checks, or attested with `--check` where the plan
 * lets a person stand in.
 */
export async function checkGate(gate: GateAction, sources: GateSources): Promise<GateAnswer> {
  const [found, checks] = await Promise.all([gate.tagAtGate === undefined ? imageWaitsFor(gate, sources.registry) : tagWaitsFor(gate, gate.tagAtGate, sources.registry, sources.otherBuilds ?? new Map()), checksWaitFor(gate, sources)]);
  const image = typeof found === 'string' ? found : undefined;
  const waiting = [...(checks ? [checks.why] : []), ...(image ? [image] : [])];
  if (waiting.length > 0) return { kind: 'waiting', code: checks?.code ?? 'HF410', why: waiting.join('; ') };
  const attested = gate.checks.filter((c) => sources.attested.has(c));
  return { kind: 'met', ...(attested.length > 0 ? { attested: { checks: attested, by: sources.attester } } : {}), ...(typeof found === 'object' ? { tag: found } : {}) };
}

async function checksWaitFor(gate: GateAction, sources: GateSources): Promise<{ readonly why: string; readonly code?: 'HF513' | 'HF514' } | undefined> {
  const open = gate.checks.filter((c) => !sources.attested.has(c));
  if (open.length === 0) return undefined;
  if (!gate.checksFrom || !sources.reports) return { why: `checks not reported passed: ${open.join(', ')} (pass --check NAME once CI reports it)` };
  let latest: Map<string, CheckReport>;
  try {
    latest = latestByName(await sources.reports(gate));
  } catch (error) {
    const d = error instanceof HotfixError ? error.diagnostics[0] : undefined;
    if (!d || !FORGE_READ_CODES.has(d.code)) throw error;
    return { why: d.message, code: d.code as 'HF513' | 'HF514' };
  }
  const notDone = open.filter((c) => !latest.get(c)?.success);
  if (notDone.length === 0) return undefined;
  const states = notDone.map((c) => checkStateText(checkState(c, latest)));
  const from = gate.checksFrom;
  const manual = from.manual === 'allow' ? '; a person may attest one with --check NAME, which is recorded' : '';
  return { why: `checks not done on ${gate.revision.slice(0, 7)} in ${from.forge === 'github' ? 'GitHub' : 'GitLab'} ${from.repository}: ${states.join(', ')}${manual}` };
}

async function imageWaitsFor(gate: GateAction, registry: RegistryOptions, image = gate.image): Promise<string | undefined> {
  const read = await revisionOf(gate, registry, image);
  return typeof read === 'string' ? read : read.label !== gate.revision ? otherBuild(gate, image, read.label) : undefined;
}

/** The image's revision label, or why the registry does not tell it. */
async function revisionOf(gate: GateAction, registry: RegistryOptions, image: string): Promise<{ readonly label: string | undefined } | string> {
  let facts;
  try {
    facts = await readImage(parseImageRef(image), registry);
  } catch (error) {
    return `the registry could not be asked about ${image}: ${registryWords(error)}`;
  }
  return facts ? { label: facts.labels[gate.label] } : `${image} is not in the registry yet`;
}

const otherBuild = (gate: GateAction, image: string, label: string | undefined) => `${image} exists but its ${gate.label} is ${label ?? 'missing'}, not the hotfix head ${gate.revision}`;

const registryWords = (error: unknown) => (error instanceof HotfixError ? error.diagnostics.map((d) => d.message).join('; ') : String(error));

/**
 * The most fitting tags one check of a gate reads the labels of. Every fitting tag newer
 * than the head's build must be read to find it, and the pattern fixes the commit, so those
 * are rebuilds of it and tags pushed by hand: far fewer. The bound holds against a registry
 * that lists a tag for every build it ever made under the pattern; beyond it the gate says
 * how many it did not examine.
 */
export const MAX_LABELS_READ = 32;

/**
 * A gate whose tag CI completes at build time: the repository's tags (every page of the
 * list), those that fit the pattern newest first, and the first of them built from the
 * hotfix head, reading labels until it is found. Several builds of the head (a re-run) fit:
 * the newest is taken.
 */
async function tagWaitsFor(gate: GateAction, pattern: string, registry: RegistryOptions, otherBuilds: Map<string, string | undefined>): Promise<string | GateTag> {
  const name = gate.image.slice(0, -pattern.length - 1);
  let tags;
  try {
    tags = await listTags(name, registry);
  } catch (error) {
    return `the registry could not list the tags of ${name}: ${registryWords(error)}`;
  }
  const fitting = fittingTags(pattern, tags);
  if (fitting.length === 0) return `no tag of ${name} fits ${pattern} yet (${tags.length} tag${tags.length === 1 ? '' : 's'} listed)`;
  const why: string[] = [];
  for (const tag of fitting.slice(0, MAX_LABELS_READ)) {
    const image = `${name}:${tag}`;
    const read = otherBuilds.has(image) ? { label: otherBuilds.get(image) } : await revisionOf(gate, registry, image);
    if (typeof read === 'string') why.push(read);
    else if (read.label === gate.revision) return { chosen: tag, fitting };
    else {
      otherBuilds.set(image, read.label);
      why.push(otherBuild(gate, image, read.label));
    }
  }
  const more = fitting.length > MAX_LABELS_READ ? ` (the newest ${MAX_LABELS_READ} of ${fitting.length} read; the ${fitting.length - MAX_LABELS_READ} older not examined)` : '';
  return `no tag of ${name} that fits ${pattern} is a build of the hotfix head yet${more}: ${why.join('; ')}`;
}
