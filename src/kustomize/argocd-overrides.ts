import { posix } from 'node:path';
import type { KustomizationFile } from '../state/types.js';
import { buildChain, overlaysOf } from './kustomize-graph.js';

/**
 * The Argo CD write-back files (`.argocd-source.yaml`, `.argocd-source-<app>.yaml`) that
 * apply where the config file is built: Argo CD reads them from an Application's source
 * directory and merges them into its source, so any directory whose kustomization is, or
 * builds, the config file counts. The config file itself is left out (it may be one). Pure.
 */
export function argocdOverrideFiles(configPath: string, writeBackFiles: readonly string[], kustomizations: readonly KustomizationFile[]): string[] {
  const self = kustomizations.filter((k) => k.file === configPath);
  const builders = [...self, ...overlaysOf(self, kustomizations), ...buildChain(configPath, kustomizations)];
  const dirs = new Set([posix.dirname(configPath), ...builders.map((k) => posix.dirname(k.file))]);
  return writeBackFiles.filter((f) => f !== configPath && dirs.has(posix.dirname(f)));
}
