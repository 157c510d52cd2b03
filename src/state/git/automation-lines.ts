import { filesMatching, grepYaml, KIND_LINE, lastMatches, type FluxFile, type GrepMatch } from './scan-flux.js';

/** A `$imagepolicy` marker, as Flux's setters find it in a line comment. */
export const MARKER_LINE = `"\\$imagepolicy"[[:space:]]*:[[:space:]]*"[^"]*"`;

/**
 * A line that sets image automation in an object's annotations, or gives the kind of Argo
 * CD Image Updater's own resource: Flux v1 (`automated`, `locked`, tag filters, under
 * `fluxcd.io/` or the older `flux.weave.works/`; an overlay's patch may set only one of
 * them), Argo CD Image Updater (`…/image-list`), `kind: ImageUpdater`.
 */
export const ANNOTATION_LINE = `((fluxcd\\.io|flux\\.weave\\.works)/(automated|locked|tag\\.)|filter\\.fluxcd\\.io/|argocd-image-updater\\.argoproj\\.io/image-list|kind["']?[[:space:]]*:[[:space:]]*["']?ImageUpdater["']?[[:space:]]*$)`;

/** The lines of the YAML files at a commit that image automation is found by. */
export interface AutomationLines {
  /** Files that may hold a Flux image automation object, each with its last kind line. */
  readonly kinds: readonly FluxFile[];
  /** Every `$imagepolicy` marker. */
  readonly markers: readonly GrepMatch[];
  /** Files with an annotation that turns automation on, or an ImageUpdater, each with its last such line. */
  readonly annotated: readonly FluxFile[];
}

/**
 * One `git grep` for the three kinds of line (each process costs a spawn, and each grep
 * inflates every YAML blob again). With `-o` and several patterns git prints each line's
 * matches left to right without overlap, and the patterns' matches cannot overlap one
 * another, except that a marker's quoted policy name could hold the start of another
 * pattern's match (`kind…` or a `…/` annotation); then the other two are asked apart, as
 * before, so the answer is the same whatever the names.
 */
export async function automationLines(repo: string, rev: string): Promise<AutomationLines> {
  const matches = await grepYaml(repo, rev, KIND_LINE, MARKER_LINE, ANNOTATION_LINE);
  const markers = matches.filter((m) => m.match.startsWith('"'));
  if (markers.some((m) => swallows(m.match))) {
    const [kinds, annotated] = await Promise.all([filesMatching(repo, rev, KIND_LINE), filesMatching(repo, rev, ANNOTATION_LINE)]);
    return { kinds, markers, annotated };
  }
  const others = matches.filter((m) => !m.match.startsWith('"'));
  return {
    kinds: lastMatches(others.filter((m) => FLUX_KIND_END.test(m.match))),
    markers,
    annotated: lastMatches(others.filter((m) => !FLUX_KIND_END.test(m.match))),
  };
}

/** How a match of KIND_LINE ends; no match of ANNOTATION_LINE ends so. */
const FLUX_KIND_END = /Image(?:UpdateAutomation|Policy|Repository)$/;

/** Whether a marker match's policy name could hold where a kind or annotation match starts. */
function swallows(marker: string): boolean {
  const name = marker.slice(marker.indexOf(':') + 1);
  return name.includes('kind') || name.includes('/');
}
