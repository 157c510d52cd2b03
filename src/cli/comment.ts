import { Command, Option, UsageError } from 'clipanion';
import * as t from 'typanion';
import { HotfixCommand } from './hotfix-command.js';
import { EXIT } from './report-failure.js';
import { checkLine } from './plan/option-values.js';

export class CommentCommand extends HotfixCommand {
  static override paths = [['comment']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'post a saved plan (or a refusal) as the plan comment of a GitHub pull request or GitLab merge request',
    details: `
      Posts the plan as \`show --format markdown\` renders it, with its id and the command that applies exactly it (\`hotfix apply --expect-id …\`, on GitHub with \`--pr\`, which checks the pull request's approvals first), as one comment per pull request, policy, environment and kind (on GitLab: a merge request note). The comment is found again by a hidden marker and updated in place by every new plan; a plan too long for one comment (GitHub takes 65,536 characters, GitLab 1,000,000) is posted in numbered parts, part 1 keeping the header, the warnings, the summary line and the plan id. Parts left over from a longer plan, and any other comment of the same key, are hidden as outdated on GitHub; on GitLab, which cannot hide a note, they are edited down to a line that links the current one.

      A refused plan posts its findings in the same place, so reviewers never take an older plan for the current one: save what \`hotfix plan … --format json\` prints when it refuses, and pass that file with \`--kind\`, \`--policy-name\` and \`--env\`.

      GitHub: the token is read from GITHUB_TOKEN (or the variable --token-env names); the API from GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3) or --api-url. GitLab: the token from GITLAB_TOKEN (or the variable --token-env names), else CI_JOB_TOKEN, which GitLab lets read a merge request but not write a note (HF510); the instance from --forge-url, else the --pr URL's, else CI_SERVER_URL, else https://gitlab.com. Tokens are never printed. A comment of the key that a person edited stops the command before anything is written (HF506, HF507).
    `,
    examples: [
      ['Post a plan on a pull request', '$0 comment plan.json --pr octo-org/deploy#42'],
      ['Post the findings of a refused plan', '$0 comment refused.json --pr https://github.com/octo-org/deploy/pull/42 --kind rollback --policy-name api-js --env production'],
      ['Post a plan on a GitLab merge request, in GitLab CI', '$0 comment plan.json --pr "$CI_MERGE_REQUEST_PROJECT_PATH!$CI_MERGE_REQUEST_IID"'],
    ],
  });

  pr = Option.String('--pr', { required: true, description: 'The pull request: owner/repo#N or its URL; or the GitLab merge request: group/project!N or its URL' });
  tokenEnv = Option.String('--token-env', { description: 'The environment variable that holds the token (default: GITHUB_TOKEN; GitLab: GITLAB_TOKEN, else CI_JOB_TOKEN)' });
  apiUrl = Option.String('--api-url', { description: 'The GitHub API (default: $GITHUB_API_URL, else https://api.github.com)' });
  forgeUrl = Option.String('--forge-url', { description: 'The GitLab instance (default: the --pr URL\'s, else $CI_SERVER_URL, else https://gitlab.com)' });
  kind = Option.String('--kind', { description: 'For a refusal: the kind of plan that was refused', validator: t.isEnum(['rollback', 'hotfix'] as const) });
  policyName = Option.String('--policy-name', { description: 'For a refusal: the policy\'s metadata.name' });
  environment = Option.String('--env', { description: 'For a refusal: the environment' });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    const [{ readCommentInput }, { planCommentContent, refusalCommentContent }, { postPlanComment }, { shellWord }, { commentForge }, { parsePullRequestRef, pullRequestName }] = await Promise.all([
      import('../forge/read-comment-input.js'),
      import('../forge/plan-comment-content.js'),
      import('../forge/post-plan-comment.js'),
      import('../plan/shell-word.js'),
      import('./comment-forge.js'),
      import('../forge/pull-request-ref.js'),
    ]);
    const github = parsePullRequestRef(this.pr);
    const forge = await commentForge({ pr: this.pr, tokenEnv: this.tokenEnv, apiUrl: this.apiUrl, forgeUrl: this.forgeUrl }, this.context.env);
    const refusalKey = [this.kind, this.policyName, this.environment];
    const input = await readCommentInput(this.file, this.context.cwd);
    let posting;
    if (input.kind === 'plan') {
      if (refusalKey.some((v) => v !== undefined)) throw new UsageError('--kind, --policy-name and --env are for the findings of a refused plan; a plan names its own');
      // On GitHub the command also checks the approvals given here (apply --pr); GitLab's are not checked yet.
      const approvedOn = github ? ` --pr ${shellWord(pullRequestName(github))}` : '';
      posting = planCommentContent(input.plan, `hotfix apply --expect-id ${input.plan.id} ${shellWord(this.file)}${approvedOn}`);
    } else {
      const [kind, policy, environment] = refusalKey;
      if (kind === undefined || policy === undefined || environment === undefined) throw new UsageError(`${this.file} holds the findings of a refused plan: say which plan's comment they take the place of with --kind, --policy-name and --env`);
      posting = refusalCommentContent({ kind, policy: checkLine('--policy-name', policy), environment: checkLine('--env', environment) }, input.diagnostics);
    }
    const posted = await postPlanComment(forge, posting);
    const changes = [`${posted.created} posted`, `${posted.updated} updated`, `${posted.retired} ${forge.retiredAs}`].join(', ');
    this.context.stdout.write(`${posted.parts === 1 ? 'Plan comment' : `Plan comment in ${posted.parts} parts`} on ${forge.where} (${changes}): ${posted.url}\n`);
    return EXIT.ok;
  }
}
