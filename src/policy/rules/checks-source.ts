import type { Rule } from './rule.js';

/** GitHub names a repository OWNER/REPO: a login (letters, digits, inner hyphens) and a name of letters, digits, `.`, `-`, `_`. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
/** A GitLab project's full path: its group, any subgroups, and the project, each a path segment GitLab accepts. */
const GITLAB_PROJECT = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/)+[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The repository the gate reads its checks from, in the form its forge names one (a wrong
 * form would only show at apply, as a 404 while the hotfix waits at its gate); and an app
 * id, which only GitHub's check runs carry.
 */
export const checksSourceRules: Rule = ({ policy, report }) => {
  const checks = policy.spec.hotfix?.checks;
  if (!checks) return [];
  const out = [];
  const at = ['spec', 'hotfix', 'checks'];
  if (checks.forge === 'github' && !GITHUB_REPOSITORY.test(checks.repository))
    out.push(report('HF142', `hotfix.checks.repository "${checks.repository}" is not a GitHub repository: write it OWNER/REPO, as in octo-org/shop-api`, [...at, 'repository']));
  if (checks.forge === 'gitlab' && (!GITLAB_PROJECT.test(checks.repository) || checks.repository.split('/').some((s) => s.endsWith('.git') || s.endsWith('.atom') || s.endsWith('.'))))
    out.push(report('HF142', `hotfix.checks.repository "${checks.repository}" is not a GitLab project path: write the project's full path, its group and any subgroups first, as in acme/payments/shop-api`, [...at, 'repository']));
  if (checks.forge === 'gitlab' && checks.appId !== undefined)
    out.push(report('HF143', `hotfix.checks.appId pins check runs to a GitHub App, but forge is gitlab, whose jobs and statuses carry no app: remove appId`, [...at, 'appId'], 'key'));
  return out;
};
