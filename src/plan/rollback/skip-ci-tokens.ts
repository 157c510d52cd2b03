/**
 * Words in a commit message that tell CI not to run, as the forges and CI services spell
 * them: GitHub Actions `[skip ci]` `[ci skip]` `[no ci]` `[skip actions]` `[actions skip]`;
 * GitLab, Bitbucket, CircleCI and Travis `[skip ci]` `[ci skip]` (any case); Azure Pipelines
 * `[skip azurepipelines]` `[skip azpipelines]` `[skip azp]` (either order) and `***NO_CI***`.
 * Bots write them into image bumps (Flux's `Auto-release … [ci skip]`); a rollback that
 * copied one would skip the checks its pull request needs.
 */
const TOKEN = /\[(?:(?:skip|no)[ _-]?(?:ci|actions|azurepipelines|azpipelines|azp|travis)|(?:ci|actions|azurepipelines|azpipelines|azp|travis)[ _-]?skip)\]|\*\*\*NO_CI\*\*\*/gi;

/** The subject without skip-CI tokens, spaces closed up. Pure. */
export function withoutSkipCi(subject: string): string {
  return subject.replace(TOKEN, ' ').replace(/\s{2,}/g, ' ').trim();
}
