import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { fakeKubectl, httpServer, serveImage, type LoopbackServer } from '../helpers/hostile-servers.js';
import { gitOut, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Strings from every source hotfix reads, carrying what steers a terminal: clear the screen
// and home the cursor, set the window title, move the cursor up and erase (to overwrite a
// line already printed), an OSC 8 hyperlink that hides its target, a C1 CSI (0x9b) and the
// bidi overrides and isolates that reorder a line. None may reach stdout or stderr raw, in
// any format; JSON formats keep the exact values (as JSON escapes).
const HOSTILE = '\x1b[2J\x1b[H\x1b]0;pwned\x07up\x1b[2A\x1b[K\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\x9b31m\u202eesrever\u2066i\u2069\u200f';

/** Written out here, not taken from the code under test. */
const STEERING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function assertNothingRaw(what: string, r: CliResult): void {
  const shown = `exit ${r.code}\n--- stdout\n${JSON.stringify(r.stdout.slice(0, 1500))}\n--- stderr\n${JSON.stringify(r.stderr.slice(0, 1500))}`;
  for (const [name, output] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    const found = STEERING.exec(output.replace(/\r\n/g, '\n'));
    assert.not.ok(found, `${what}: ${name} holds U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} raw: ${shown}`);
  }
  assert.not.ok(hasStackTrace(r.stdout + r.stderr), `${what}: a stack trace: ${shown}`);
  assert.not.match(r.stdout + r.stderr, /internal error/, `${what}: ${shown}`);
}

/**
 * The run's output shows the hostile string, escaped: it was read, not lost on the way. A
 * message may quote it as JSON (`\u001b`) and cut it short, before the C1 and bidi part.
 */
function assertShownEscaped(what: string, r: CliResult, whole = true): void {
  const output = r.stdout + r.stderr;
  assert.match(output, /\\(x1b|u001b)\[2J\\(x1b|u001b)\[H\\(x1b|u001b)\]0;pwned\\(x07|u0007)/, `${what}: the escape sequence is not shown escaped:\n${output}`);
  if (whole) assert.ok(output.includes('\\u009b31m\\u202eesrever'), `${what}: C1 and bidi are not shown escaped:\n${output}`);
}

const s = await scenario();
const cli = (args: string[], env?: Record<string, string>) => runCliAsync(args, { cwd: s.root, ...(env && { env }) });

test('a policy value echoed in a diagnostic: lint in text, json, sarif and github formats', async () => {
  const dir = tempDir();
  const policy = readFileSync(s.policyFile, 'utf8').replace('name: api-js', `name: ${JSON.stringify(HOSTILE)}`);
  writeFileSync(join(dir, 'hostile.yaml'), policy);
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const r = await runCliAsync(['lint', '--format', format, 'hostile.yaml'], { cwd: dir });
    assert.is(r.code, 1, `lint --format ${format}: ${r.stdout}${r.stderr}`);
    assertNothingRaw(`lint --format ${format}`, r);
    if (format === 'text' || format === 'github') assertShownEscaped(`lint --format ${format}`, r, false);
    // JSON output escapes, and parses back to the very message the finding holds (which quotes the value as JSON, cut short).
    if (format === 'json' || format === 'sarif') assert.ok(JSON.stringify(JSON.parse(r.stdout)).includes(JSON.stringify(JSON.stringify(HOSTILE).slice(0, 40)).slice(1, -1)), `${format}: the value is kept`);
  }
  const plan = await runCliAsync(['plan', 'rollback', '--policy', 'hostile.yaml', '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'r'], { cwd: dir });
  assert.is(plan.code, 1);
  assertNothingRaw('plan with the policy', plan);
});

test('a cluster image (state file) and kubectl\'s own words: status and plan', async () => {
  const state = join(tempDir(), 'cluster.json');
  writeFileSync(state, readFileSync(s.clusterStateFile, 'utf8').replace(`${s.image}:${s.apiJs.currentTag}`, `${s.image}:${s.apiJs.currentTag}${JSON.stringify(HOSTILE).slice(1, -1)}`));
  for (const format of ['text', 'json']) {
    const status = await cli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', state, '--format', format]);
    assertNothingRaw(`status --format ${format} with a hostile image`, status);
    if (format === 'text') assertShownEscaped('status with a hostile image', status);
  }
  const plan = await cli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', state, '--reason', 'r']);
  assertNothingRaw('plan rollback with a hostile running image', plan);

  const kubectl = { PATH: `${fakeKubectl(`printf '%s\\n' ${shellQuote(`error: ${HOSTILE}`)} >&2; exit 1`)}:${process.env.PATH ?? ''}` };
  for (const args of [['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`], ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--reason', 'r']]) {
    const r = await cli(args, kubectl);
    assertNothingRaw(`${args[0]} with kubectl failing in hostile words`, r);
    assertShownEscaped(`${args[0]} with kubectl failing in hostile words`, r);
  }
});

test('a config file\'s contents and a git commit subject: status, plan rollback', async () => {
  const world = await scenario();
  const file = join(world.configRepo, 'app', 'bases', 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(`newTag: ${world.apiJs.currentTag}`, `newTag: ${JSON.stringify(`${world.apiJs.currentTag}${HOSTILE}`)}`));
  const git = (...args: string[]) => gitOut(world.configRepo, ['-c', 'user.name=a', '-c', 'user.email=a@a', ...args]);
  git('commit', '-q', '-am', `Deploy ${HOSTILE}`);
  const run = (args: string[]) => runCliAsync(args, { cwd: world.root });
  const status = await run(['status', '--policy', world.policyFile, '--repo', `deploy=${world.configRepo}`, '--no-cluster']);
  assertNothingRaw('status of a hostile config file', status);
  assertShownEscaped('status of a hostile config file', status);
  for (const format of ['text', 'json', 'markdown']) {
    const plan = await run(['plan', 'rollback', '--policy', world.policyFile, '--env', 'production', '--repo', `deploy=${world.configRepo}`, '--no-cluster', '--reason', 'r', '--format', format]);
    assertNothingRaw(`plan rollback --format ${format} of a hostile commit`, plan);
    assert.is(plan.code, 1, `the plan is refused (HF348): ${plan.stdout}${plan.stderr}`);
    assert.match(plan.stdout + plan.stderr, /HF348/);
  }
  // A comment in the file, and a commit that is not the deploying one, shown by status only as they are.
  writeFileSync(file, `# ${HOSTILE}\n${text}`);
  git('commit', '-q', '-am', `Note ${HOSTILE}`);
  const plan = await run(['plan', 'rollback', '--policy', world.policyFile, '--env', 'production', '--repo', `deploy=${world.configRepo}`, '--no-cluster', '--reason', 'r']);
  assertNothingRaw('plan rollback over a hostile comment', plan);
});

test('a registry label: plan hotfix names it escaped', async () => {
  const app = await buildAppScenario(tempDir(), '127.0.0.1:9', {});
  const labelOnly = join(app.root, 'policies', 'label-only.yaml');
  writeFileSync(labelOnly, readFileSync(app.policyFile, 'utf8').replace('revisionFrom: [label, tag, gitTag]', 'revisionFrom: [label]').replace(/ {4}gitTagPattern: .*\n/, ''));
  const server: LoopbackServer = await httpServer(serveImage({ config: { Labels: { 'org.opencontainers.image.revision': HOSTILE } } }));
  try {
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runCliAsync(['plan', 'hotfix', '--policy', labelOnly, '--env', 'production', '--repo', `app=${app.appRepo}`, '--repo', `deploy=${app.configRepo}`, '--reason', 'payment', '--pick', app.fixes[0]!.commit, '--deployed', `${server.host}/team/shop-api:${app.deployed.tag}`, '--format', format], { cwd: app.root });
      assert.is(r.code, 1, r.stdout + r.stderr);
      assertNothingRaw(`plan hotfix --format ${format} with a hostile label`, r);
      if (format === 'text') assertShownEscaped('plan hotfix with a hostile label', r);
    }
  } finally {
    await server.close();
  }
});

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

test.run();
