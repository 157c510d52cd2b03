import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import AjvModule from 'ajv';
// GitLab's own CI schema (app/assets/javascripts/editor/schema/ci.json, what GitLab's
// pipeline editor validates with), as gitlab-ci-local 4.64.1 ships it unchanged.
import { schema as gitlabCiSchema } from 'gitlab-ci-local/src/schema/schema.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The CI recipes (action.yml, ci/github/*.yml, ci/gitlab/hotfix.gitlab-ci.yml) as GitHub
// itself would read them (@actions/workflow-parser, the parser of GitHub's own language
// services), their shell run in a real bash with hostile input, and every hotfix command
// line they hold given to the built CLI.

const WORKFLOWS = readdirSync(join(ROOT, 'ci', 'github')).filter((f) => f.endsWith('.yml')).map((f) => join('ci', 'github', f));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}
const stepsOf = (file: string): Step[] => Object.values((parse(read(file)) as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((job) => job.steps);
const actionSteps = (): Step[] => (parse(read('action.yml')) as { runs: { steps: Step[] } }).runs.steps;

test('GitHub\'s workflow parser accepts the action and every example workflow, and rejects what GitHub would', () => {
  const trace = new NoOperationTraceWriter();
  const problems = (result: ReturnType<typeof parseWorkflow>) => result.context.errors.getErrors().map((e) => e.message);
  assert.equal(problems(parseAction({ name: 'action.yml', content: read('action.yml') }, trace)), []);
  assert.ok(WORKFLOWS.length >= 3, WORKFLOWS.join(', '));
  for (const file of WORKFLOWS) assert.equal(problems(parseWorkflow({ name: file, content: read(file) }, trace)), [], file);
  // The parser is not a YAML reader that takes anything: a step without its shell, a misspelt key.
  assert.ok(problems(parseAction({ name: 'a.yml', content: read('action.yml').replace(/\n {6}shell: bash\n/, '\n') }, trace)).some((m) => /shell/.test(m)));
  assert.ok(problems(parseWorkflow({ name: 'w.yml', content: read(WORKFLOWS[0]!).replace('runs-on:', 'run-on:') }, trace)).length > 0);
});

/** The `run:` script of the step named `name`, run in bash as a runner runs it (`bash -e {0}`), with `env`. */
function runStep(script: string, env: Record<string, string>): { code: number | null; stdout: string; stderr: string; output: string } {
  const dir = tempDir();
  const file = join(dir, 'step.sh');
  const output = join(dir, 'github-output');
  writeFileSync(file, script);
  writeFileSync(output, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_REPOSITORY: 'octo-org/deploy', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(output, 'utf8') };
}

/** GITHUB_OUTPUT's `name=value` and `name<<DELIMITER … DELIMITER` records, as the runner reads them. */
function outputs(text: string): Record<string, string> {
  const lines = text.split('\n');
  const found: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const multi = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (multi) {
      const end = lines.indexOf(multi[2]!, i + 1);
      assert.ok(end > i, `no closing ${multi[2]}`);
      found[multi[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) found[lines[i]!.slice(0, lines[i]!.indexOf('='))] = lines[i]!.slice(lines[i]!.indexOf('=') + 1);
  }
  return found;
}

const chatops = stepsOf('ci/github/hotfix-chatops.yml').find((s) => s.id === 'command')!;
const command = (body: string) => runStep(chatops.run!, { BODY: body, HOTFIX_POLICY: 'policies/shop-api.yaml' });

test('a ChatOps comment becomes hotfix\'s arguments one per line, the reason one argument whatever it holds', () => {
  const rollback = command('/hotfix plan rollback production --reason payments down since 14:02, see "INC-42"\r\nmore text the command ignores');
  assert.is(rollback.code, 0, rollback.stderr);
  assert.equal(outputs(rollback.output).args!.split('\n'), ['plan', 'rollback', '--policy', 'deploy/policies/shop-api.yaml', '--env', 'production', '--repo', 'deploy=deploy', '--out', 'plan.json', '--format', 'json', '--reason', 'payments down since 14:02, see "INC-42"']);
  assert.is(outputs(rollback.output).kind, 'rollback');
  const hotfix = command('/hotfix plan hotfix prd-eu --pick 4f2c9e1 --pick 0123456789abcdef0123456789abcdef01234567 --reason rounding');
  assert.is(hotfix.code, 0, hotfix.stderr);
  const args = outputs(hotfix.output).args!.split('\n');
  assert.equal(args.slice(args.indexOf('--repo', 7)), ['--repo', 'app=app', '--pick', '4f2c9e1', '--pick', '0123456789abcdef0123456789abcdef01234567', '--reason', 'rounding']);
});

test('a hostile comment runs nothing and adds no argument: command substitution, quotes, a forged output delimiter, options in the environment name', () => {
  const canary = join(tempDir(), 'ran');
  const injections = [`$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `" && touch ${canary} && "`];
  for (const reason of injections) {
    const r = command(`/hotfix plan rollback production --reason ${reason}`);
    assert.is(r.code, 0, r.stderr);
    assert.equal(outputs(r.output).args!.split('\n').slice(-2), ['--reason', reason]);
  }
  assert.not.ok(existsSync(canary), 'a comment ran a command');
  // A reason naming a delimiter cannot end the record early: the delimiter is random.
  const forged = command('/hotfix plan rollback production --reason x\nHOTFIX_END\nbreak-lock=true');
  assert.equal(outputs(forged.output).args!.split('\n').slice(-2), ['--reason', 'x']);
  assert.not.ok('break-lock' in outputs(forged.output));
  for (const body of ['/hotfix plan rollback --break-lock --reason x', '/hotfix plan rollback ../prod --reason x', '/hotfix plan rollback production', '/hotfix plan deploy production --reason x', '/hotfix plan hotfix production --pick HEAD --reason x', `/hotfix plan rollback production --reason a\u0007b`]) {
    const r = command(body);
    assert.is(r.code, 1, body);
    assert.match(r.stdout, /^::error::/, body);
    assert.is(r.output, '', body);
  }
});

test('the action passes each line of `args` as one argument and blank lines as none', () => {
  const run = actionSteps().find((s) => s.id === 'run')!;
  const dir = tempDir();
  const cli = join(dir, 'argv.cjs');
  writeFileSync(cli, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
  chmodSync(cli, 0o644);
  const r = runStep(run.run!, { HOTFIX_ARGS: 'plan\nrollback\n--reason\npayments down; $(id)\n\n', HOTFIX_OUTPUT: '', HOTFIX_CLI: cli });
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), ['plan', 'rollback', '--reason', 'payments down; $(id)']);
  assert.is(outputs(r.output)['exit-code'], '0');
});

test('the apply workflow opens the pull requests of the branches apply pushes (--open-prs), with a token allowed to write pull requests', () => {
  const workflow = parse(read('ci/github/hotfix-apply.yml')) as { permissions: Record<string, string> };
  assert.is(workflow.permissions['pull-requests'], 'write');
  const apply = stepsOf('ci/github/hotfix-apply.yml').find((s) => s.uses?.includes('/hotfix@') && s.with?.args?.trim().startsWith('apply'))!;
  const args = apply.with!.args!.split('\n').filter(Boolean);
  assert.ok(args.includes('--open-prs'), args.join(' '));
  assert.is(args.at(-1), 'plan.json');
});

/** `${{ … }}` as a run would fill it: sample values of the right shape. */
function filled(line: string): string {
  return line
    .replace(/\$\{\{\s*inputs\.plan-id\s*\}\}/g, `sha256:${'a'.repeat(64)}`)
    .replace(/\$\{\{\s*github\.repository\s*\}\}#\$\{\{\s*github\.event\.issue\.number\s*\}\}/g, 'octo-org/deploy#7')
    .replace(/\$\{\{\s*github\.repository\s*\}\}#\$\{\{\s*inputs\.pr\s*\}\}/g, 'octo-org/deploy#7')
    .replace(/\$\{\{\s*steps\.command\.outputs\.kind\s*\}\}/g, 'rollback')
    .replace(/\$\{\{\s*steps\.command\.outputs\.env\s*\}\}/g, 'production')
    .replace(/\$\{\{\s*env\.HOTFIX_POLICY_NAME\s*\}\}/g, 'shop-api');
}

test('every hotfix command line in the recipes is one the built CLI takes (no usage error)', () => {
  const lines: string[][] = [];
  for (const file of WORKFLOWS) {
    for (const step of stepsOf(file)) {
      const args = step.with?.args;
      if (step.uses?.includes('/hotfix@') && args && !args.trim().startsWith('${{')) lines.push(filled(args).split('\n').filter(Boolean));
    }
  }
  const chatopsArgs = outputs(command('/hotfix plan rollback production --reason r').output).args!.split('\n');
  lines.push(chatopsArgs);
  // GitLab: what each job's script runs, with the plan succeeding and refused.
  for (const job of ['hotfix-lint', 'hotfix-plan', 'hotfix-apply']) lines.push(...gitlabCalls(job, 0).calls);
  lines.push(...gitlabCalls('hotfix-plan', 1).calls);
  assert.ok(lines.length >= 8, `${lines.length} command lines found`);
  const dir = tempDir();
  for (const args of lines) {
    const r = runCli(args, { cwd: dir });
    assert.is.not(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.not.match(r.stderr, /Unknown Syntax Error|Command not found/, args.join(' '));
  }
});

const GITLAB_VARIABLES = {
  HOTFIX_KIND: 'hotfix', HOTFIX_ENV: 'production', HOTFIX_POLICY: 'policies/shop-api.yaml', HOTFIX_POLICY_DIR: 'policies/', HOTFIX_POLICY_NAME: 'shop-api', HOTFIX_PICKS: '4f2c9e1 0123abc',
  CI_MERGE_REQUEST_PROJECT_PATH: 'g/p', CI_MERGE_REQUEST_IID: '3', HOTFIX_PLAN_ID: `sha256:${'a'.repeat(64)}`,
  CI_SERVER_URL: 'https://gitlab.example.com', CI_PROJECT_PATH: 'g/p', GITLAB_TOKEN: 'glpat-secret-3Fq9Zt0kLw',
};

/**
 * The hotfix commands a job of the GitLab template runs, each as its arguments: its script
 * run in sh (as GitLab's shell runner runs it, -e) with a `hotfix` on PATH that records its
 * arguments and exits `planExit` for `plan`.
 */
test('GitLab\'s CI schema accepts the template, and rejects what GitLab would', () => {
  // Options as GitLab's editor needs them: the schema has union types, markdownDescription and formats it does not define.
  const ajv = new AjvModule.default({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(gitlabCiSchema);
  const problems = (text: string) => (validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  const template = read('ci/gitlab/hotfix.gitlab-ci.yml');
  assert.equal(problems(template), []);
  // Not a schema that takes anything: a misspelt job keyword, a stage that is a number.
  assert.ok(problems(template.replace('  stage: test', '  stag: test')).length > 0);
  assert.ok(problems(template.replace('  stage: test', '  stage: 3')).length > 0);
  // The apply job opens merge requests: its script lines are strings GitLab takes, a command
  // written as a mapping (a `key: value` slip in a script line) is not.
  const apply = (parse(template) as Record<string, { script: unknown[] }>)['hotfix-apply']!;
  assert.ok(apply.script.some((line) => typeof line === 'string' && /hotfix apply .*--open-prs/.test(line)));
  const slipped = template.replace(/^ {4}- hotfix apply .*$/m, '    - hotfix apply: --open-prs plan.json');
  assert.is.not(slipped, template);
  assert.ok(problems(slipped).length > 0);
});

function gitlabCalls(job: string, planExit: number, variables: Record<string, string> = {}, prelude: readonly string[] = [], dir = tempDir()): { status: number | null; calls: string[][]; dir: string; output: string } {
  const template = parse(read('ci/gitlab/hotfix.gitlab-ci.yml')) as Record<string, { script: string[] }>;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'hotfix'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> ${dir}/calls\nprintf '\\n' >> ${dir}/calls\n[ "$1" = plan ] && exit ${planExit}\nexit 0\n`);
  chmodSync(join(bin, 'hotfix'), 0o755);
  const r = spawnSync('sh', ['-e', '-c', [...prelude, ...template[job]!.script].join('\n')], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, CI_PROJECT_DIR: dir, HOTFIX_REASON: 'r', ...GITLAB_VARIABLES, ...variables } });
  const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).map((c) => c.split('\0').slice(0, -1)) : [];
  return { status: r.status, calls, dir, output: r.stdout + r.stderr };
}

test('the GitLab template: jobs extend what it defines, apply needs the plan\'s artifact, and the plan script keeps a reason one argument', () => {
  const template = parse(read('ci/gitlab/hotfix.gitlab-ci.yml')) as Record<string, { extends?: string; needs?: Array<{ job: string; artifacts: boolean }>; script?: string[]; artifacts?: { paths: string[] } }>;
  for (const [name, job] of Object.entries(template)) if (job.extends) assert.ok(template[job.extends], `${name} extends ${job.extends}, which is not defined`);
  assert.equal(template['hotfix-apply']!.needs, [{ job: 'hotfix-plan', artifacts: true }]);
  assert.ok(template['hotfix-plan']!.artifacts!.paths.includes('plan.json'));
  const canary = join(tempDir(), 'ran');
  const reason = `a b $(touch ${canary}) "c"`;
  const planned = gitlabCalls('hotfix-plan', 0, { HOTFIX_REASON: reason });
  assert.is(planned.status, 0);
  const [plan, comment] = planned.calls;
  assert.equal(plan!.slice(plan!.indexOf('--reason'), plan!.indexOf('--reason') + 2), ['--reason', reason]);
  assert.equal(plan!.slice(-4), ['--pick', '4f2c9e1', '--pick', '0123abc']);
  assert.equal(comment, ['comment', 'plan.json', '--pr', 'g/p!3']);
  // Refused: the findings are posted in the plan note's place, and the job fails with the plan's exit.
  const refused = gitlabCalls('hotfix-plan', 1);
  assert.is(refused.status, 1);
  assert.equal(refused.calls[1], ['comment', 'planned.json', '--kind', 'hotfix', '--policy-name', 'shop-api', '--env', 'production', '--pr', 'g/p!3']);
  // Without the plan id, apply does not start.
  const unnamed = gitlabCalls('hotfix-apply', 0, { HOTFIX_PLAN_ID: '' });
  assert.is.not(unnamed.status, 0);
  assert.equal(unnamed.calls, []);
  assert.not.ok(existsSync(canary));
});

test('the GitLab apply job opens merge requests (--open-prs) on the project, pushing with GITLAB_TOKEN from git\'s credential store, and the token nowhere else', () => {
  const template = parse(read('ci/gitlab/hotfix.gitlab-ci.yml')) as Record<string, { before_script?: string[] }>;
  // The git lines every job runs first (the npm install is left out): a runner's clone, whose URL carries the job token.
  const prelude = template['.hotfix']!.before_script!.filter((line) => line.startsWith('git '));
  assert.equal(prelude.length, 1, prelude.join('\n'));
  const clone = () => {
    const dir = tempDir();
    spawnSync('git', ['init', '-q', dir]);
    spawnSync('git', ['-C', dir, 'remote', 'add', 'origin', 'https://gitlab-ci-token:job-3Xq7@gitlab.example.com/g/p.git']);
    return dir;
  };
  const dir = clone();
  const run = gitlabCalls('hotfix-apply', 0, {}, prelude, dir);
  assert.is(run.status, 0, run.output);
  // The push URL plan and apply see (the plan records it): the project's, no token in it.
  const pushUrl = spawnSync('git', ['-C', dir, 'remote', 'get-url', '--push', 'origin'], { encoding: 'utf8' }).stdout.trim();
  assert.is(pushUrl, 'https://gitlab.example.com/g/p.git');
  assert.is(readFileSync(join(dir, '.git-credentials'), 'utf8').trim(), `https://oauth2:${GITLAB_VARIABLES.GITLAB_TOKEN}@gitlab.example.com`);
  const apply = run.calls.at(-1)!;
  assert.is(apply[0], 'apply');
  assert.ok(apply.includes('--open-prs'), apply.join(' '));
  assert.equal(apply.slice(apply.indexOf('--forge-repo'), apply.indexOf('--forge-repo') + 2), ['--forge-repo', 'deploy=g/p']);
  assert.equal(apply.slice(apply.indexOf('--forge-url'), apply.indexOf('--forge-url') + 2), ['--forge-url', 'https://gitlab.example.com']);
  assert.not.ok(apply.join(' ').includes(GITLAB_VARIABLES.GITLAB_TOKEN));
  assert.not.ok(run.output.includes(GITLAB_VARIABLES.GITLAB_TOKEN));
  // Without GITLAB_TOKEN the job stops before apply runs.
  const tokenless = gitlabCalls('hotfix-apply', 0, { GITLAB_TOKEN: '' }, prelude, clone());
  assert.is.not(tokenless.status, 0);
  assert.equal(tokenless.calls, []);
  assert.match(tokenless.output, /set GITLAB_TOKEN/);
});

test.run();
