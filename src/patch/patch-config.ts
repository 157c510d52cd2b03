import { patchYamlText, type DocumentPatch } from './patch-yaml.js';
import { patchTypeScriptText } from './typescript/patch-typescript.js';

export type { DocumentPatch } from './patch-yaml.js';

/**
 * Applies the patches to a config file with the editor its name calls for: TypeScript
 * (`.ts`, `.mts`, `.cts`; ts-morph must have been loaded with loadTypeScriptSupport) or
 * YAML, which also reads JSON.
 */
export function patchConfigText(path: string, text: string, patches: readonly DocumentPatch[]): string {
  return /\.[cm]?ts$/.test(path) ? patchTypeScriptText(text, patches) : patchYamlText(text, patches);
}
