import { Command, Option, UsageError } from 'clipanion';
import * as t from 'typanion';
import { HotfixCommand } from './hotfix-command.js';
import { EXIT } from './report-failure.js';
import { checkLine, quote } from './plan/option-values.js';

export class CommentCommand extends HotfixCommand {
  static override paths = [['comment']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'post a saved plan (or a refusal) as the plan comment of a GitHub pull request',
    details: `
      Posts the plan as \`show --format markdown\` renders it, with its id and the command that applies exactly it (\`hotfix apply --expect-id …\`), as one comment per pull request, policy, environment and kind. The comment is found again by a hidden marker and updated in place by every new plan; a plan too long for one comment (GitHub takes 65,536 characters) is posted in numbered parts, part 1 keeping the header, the warnings, the summary line and the plan id. Parts left over from a longer plan, and any other comment of the same key, are hidden as outdated.

      A refused plan posts its findings in the same place, so reviewers never take an older plan for the current one: save what \`hotfix plan … --format json\` prints when it refuses, and pass that file with \`--kind\`, \`--policy-name\` and \`--env\`.

      The token is read from GITHUB_TOKEN (or the variable --token-env names) and never printed; the API from GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3) or --api-url. A comment of the key that a person edited stops the command before anything is written (HF506, HF507).
    `,
    examples: [
      ['Post a plan on a pull request', '$0 comment plan.json --pr octo-org/deploy#42'],
      ['Post the findings of a refused plan', '$0 comment refused.json --pr https://github.com/octo-org/deploy/pull/42 --kind rollback --policy-name api-js --env production'],
    ],
  });

  pr = Option.String('--pr', { required: true, description: 'The pull request: owner/repo#N or its URL' });
  tokenEnv = Option.String('--token-env', 'GITHUB_TOKEN', { description: 'The environment variable that holds the token' });
  apiUrl = Option.String('--api-url', { description: 'The GitHub API (default: $GITHUB_API_URL, else https://api.github.com)' });
  kind = Option.String('--kind', { description: 'For a refusal: the kind of plan that was refused', validator: t.isEnum(['rollback', 'hotfix'] as const) });
  policyName = Option.String('--policy-name', { description: 'For a refusal: the policy\'s metadata.name' });
  environment = Option.String('--env', { description: 'For a refusal: the environment' });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    const [{ parsePullRequestRef }, { readCommentInput }, { planCommentContent, refusalCommentContent }, { gitHubForge }, { postPlanComment }, { shellWord }, { HotfixError }, { diagnostic }] = await Promise.all([
      import('../forge/pull-request-ref.js'),
      import('../forge/read-comment-input.js'),
      import('../forge/plan-comment-content.js'),
      import('../forge/github-forge.js'),
      import('../forge/post-plan-comment.js'),
      import('../plan/shell-word.js'),
      import('../diagnostics/errors.js'),
      import('../diagnostics/diagnostic.js'),
    ]);
    const pr = parsePullRequestRef(this.pr);
    if (!pr) throw new UsageError(`--pr ${quote(this.pr)} names no pull request: give owner/repo#N or https://HOST/owner/repo/pull/N`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.tokenEnv)) throw new UsageError(`--token-env ${quote(this.tokenEnv)} is not an environment variable name`);
    const apiUrl = this.apiUrl ?? this.context.env.GITHUB_API_URL ?? 'https://api.github.com';
    if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(apiUrl)) throw new UsageError(`${this.apiUrl !== undefined ? '--api-url' : 'GITHUB_API_URL'} ${quote(apiUrl)} is not an http(s) URL`);
    const refusalKey = [this.kind, this.policyName, this.environment];
    const input = await readCommentInput(this.file, this.context.cwd);
    let posting;
    if (input.kind === 'plan') {
      if (refusalKey.some((v) => v !== undefined)) throw new UsageError('--kind, --policy-name and --env are for the findings of a refused plan; a plan names its own');
      posting = planCommentContent(input.plan, `hotfix apply --expect-id ${input.plan.id} ${shellWord(this.file)}`);
    } else {
      const [kind, policy, environment] = refusalKey;
      if (kind === undefined || policy === undefined || environment === undefined) throw new UsageError(`${this.file} holds the findings of a refused plan: say which plan's comment they take the place of with --kind, --policy-name and --env`);
      posting = refusalCommentContent({ kind, policy: checkLine('--policy-name', policy), environment: checkLine('--env', environment) }, input.diagnostics);
    }
    const token = this.context.env[this.tokenEnv];
    if (token === undefined || token.trim() === '') throw new HotfixError([diagnostic('HF501', `no GitHub token: ${this.tokenEnv} is ${token === undefined ? 'not set' : 'empty'}; set it (in GitHub Actions: GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}) or name another variable with --token-env`)]);
    // Tests shrink the waits the plugins compute (a retry after 1 s, 4 s; a rate limit's reset) to milliseconds.
    const testSecond = /^[1-9][0-9]{0,3}$/.exec(this.context.env.HOTFIX_TEST_FORGE_SECOND_MS ?? '')?.[0];
    const forge = gitHubForge(pr, { token: token.trim(), apiUrl, ...(testSecond !== undefined ? { secondMs: Number(testSecond) } : {}) });
    const posted = await postPlanComment(forge, posting);
    const changes = [`${posted.created} posted`, `${posted.updated} updated`, `${posted.retired} hidden as outdated`].join(', ');
    this.context.stdout.write(`${posted.parts === 1 ? 'Plan comment' : `Plan comment in ${posted.parts} parts`} on ${forge.where} (${changes}): ${posted.url}\n`);
    return EXIT.ok;
  }
}
