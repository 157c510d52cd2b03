import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImage } from '../../patch/find-image.js';
import type { ImageField } from '../../patch/image-field.js';
import type { DocumentPatch } from '../../patch/patch-yaml.js';
import type { AutomationEngine, Environment } from '../../policy/types.js';
import type { AutomationScan, FileAtRevision, FluxObject } from '../../state/types.js';
import type { PolicyRenderSpec } from '../render-spec.js';
import type { AutomationSetting } from './setting.js';

/** What every engine reads: the environment, the config file at head, and what the repository holds. */
export interface AutomationInput {
  readonly env: Environment;
  /** The app's image name (app.image). */
  readonly image: string;
  readonly setting: AutomationSetting;
  readonly config: { readonly path: string; readonly text: string };
  readonly flux: readonly FluxObject[];
  readonly scan: AutomationScan;
  /** Files read whole, which a counter-measure may patch. */
  readonly files: Readonly<Record<string, FileAtRevision>>;
}

export type BotEngine = 'renovate' | 'dependabot' | 'release-please';

/** One engine object found that writes, or proposes changes to, this environment's config. */
export interface FoundAutomation {
  readonly engine: AutomationEngine | BotEngine;
  /** The engine's object, as the engine names it. */
  readonly name: string;
  readonly file: string;
  /** False for bots whose pull requests a person merges: they never undo a rollback by themselves. */
  readonly writesBack: boolean;
  readonly active: boolean;
}

/** A reviewed commit that stops an engine from writing the newer tag back. */
export interface GuardPatch {
  readonly file: string;
  readonly purpose: 'suspend-automation' | 'pin-policy';
  readonly patches: readonly DocumentPatch[];
  readonly message: string;
  /** A pin written where a kustomize patch wins: what the render must then show. */
  readonly render?: Omit<PolicyRenderSpec, 'actionId'>;
}

/**
 * An edit that belongs to the rollback commit itself, not to a counter-measure: without it
 * the rollback changes nothing that runs (a write-back file Argo CD renders over the
 * rolled-back file).
 */
export interface RollbackEdit {
  readonly file: string;
  readonly patches: readonly DocumentPatch[];
  /** A line of the rollback commit's message: what the edit sets and why. */
  readonly says: string;
}

export interface Counter {
  readonly diagnostics: Diagnostic[];
  readonly patches: GuardPatch[];
  /** Said in the plan's notes (a counter-measure's blast radius). */
  readonly notes: string[];
  readonly rollbackEdits: RollbackEdit[];
}

export const NO_COUNTER: Counter = { diagnostics: [], patches: [], notes: [], rollbackEdits: [] };

/** The fields of the config file that hold the image; none where the locator finds none (the plan reports that elsewhere). */
export function imageFields(input: AutomationInput): readonly ImageField[] {
  try {
    return findImage(input.config.text, input.env.config.locator, input.image).fields;
  } catch {
    return [];
  }
}

/** A tag as a regular expression matching only itself (RE2 and JavaScript escape the same characters). */
export function exactly(tag: string): string {
  return `^${escapeRegExp(tag)}$`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
