import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { patchedPolicyRepo, PATCHED_TAGS, type PatchForm } from '../../fixtures/flux-patched-policy-scenario.js';
import { applied, changedLines, codes, commits, fluxSelects, plan } from '../helpers/automation-cli.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { renderedPolicy } from '../helpers/rendered-policy.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The tags a registry could offer: those deployed, a newer prod build, and main builds that sort later. */
const OFFERED = [...PATCHED_TAGS, 'prod-9b8c7d6-1762010800', 'main-1a2b3c4-1762099999'];

async function pinned(form: PatchForm) {
  const r = await patchedPolicyRepo(tempDir(), form);
  const { plan: p } = plan(r, 'cart');
  return { r, p };
}

test('a strategic merge patch in the overlay sets the filter: the pin is written in that patch, and kubectl kustomize then selects only the rollback tag', async () => {
  const { r, p } = await pinned('strategic-merge');
  assert.equal(codes(p), []);
  const before = renderedPolicy(r, 'main', 'apps/production');
  assert.is(fluxSelects(before, OFFERED), 'prod-9b8c7d6-1762010800', 'the reference picks the newest prod build before the pin');
  const [, pin] = applied(r, p);
  assert.equal(pin!.changes.map((c) => c.path), ['apps/production/cart-policy.yaml']);
  assert.equal(changedLines(pin!), ["-    pattern: '^prod-[a-fA-F0-9]+-(?P<ts>[0-9]+)$'", "+    pattern: '^prod-f01225d-(?P<ts>1762003600)$'"]);
  assert.match(pin!.message, /kubectl kustomize apps\/production renders it from apps\/production\/cart-policy\.yaml/);
  const after = renderedPolicy(r, pin!.commit, 'apps/production');
  assert.is(after.spec.filterTags.extract, '$ts', 'the base still gives extract');
  assert.is(fluxSelects(after, OFFERED), PATCHED_TAGS[1]);
  // The base, which the patch overrides, is untouched.
  assert.is(gitOut(r.repo, ['diff', 'main', pin!.commit, '--', 'apps/base']), '');
});

test('a JSON 6902 patch file that replaces /spec/filterTags: the pin rewrites the pattern inside that operation\'s value', async () => {
  const { r, p } = await pinned('json6902');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  assert.equal(pin!.changes.map((c) => c.path), ['apps/production/cart-policy.yaml']);
  assert.equal(changedLines(pin!), ["-    pattern: '^prod-[a-fA-F0-9]+-(?P<ts>[0-9]+)$'", "+    pattern: '^prod-f01225d-(?P<ts>1762003600)$'"]);
  assert.is(fluxSelects(renderedPolicy(r, pin!.commit, 'apps/production'), OFFERED), PATCHED_TAGS[1]);
});

test('HF353 paths: an inline patch, overlays that render the policy differently, and a render that fails each say plainly why nothing is pinned; the revert is still planned', async () => {
  const inline = await pinned('inline');
  assert.equal(codes(inline.p), ['HF353']);
  assert.match(inline.p.diagnostics[0]!.message, /an inline patch in apps\/production\/kustomization\.yaml sets \/spec\/filterTags\/pattern, and hotfix edits patch files, not patches written inside a kustomization/);
  assert.equal(commits(inline.p).map((c) => c.purpose), ['revert']);

  const two = await pinned('two-overlays');
  assert.equal(codes(two.p), ['HF353']);
  assert.match(two.p.diagnostics[0]!.message, /kustomize renders it differently in apps\/production and apps\/staging, so no single edit pins it/);

  const broken = await pinned('broken');
  assert.equal(codes(broken.p), ['HF353']);
  assert.match(broken.p.diagnostics[0]!.message, /rendering apps\/production to read it failed: kubectl kustomize apps\/production failed .*missing-patch\.yaml/);
  assert.equal(commits(broken.p).map((c) => c.purpose), ['revert']);
});

test('a tag outside the patched filter, which the numerical policy cannot order, is HF353 through the built CLI', async () => {
  const r = await patchedPolicyRepo(tempDir(), 'strategic-merge');
  // A hand-made deployment of a tag outside the policy's filter, then the bot's next bump.
  execFileSync('sh', ['-c', `sed -i 's/${PATCHED_TAGS[2]}/prod-0000000-nightly/' apps/production/cart.yaml && git -c user.name=p -c user.email=p@example.com commit --quiet -am 'Try the nightly' && sed -i 's/prod-0000000-nightly/prod-9b8c7d6-1762010800/' apps/production/cart.yaml && git -c user.name=fluxcdbot -c user.email=fluxcdbot@users.noreply.github.com commit --quiet -am bump`], { cwd: r.repo, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  const { plan: p } = plan(r, 'cart');
  assert.equal(codes(p), ['HF353']);
  assert.match(p.diagnostics[0]!.message, /cannot be pinned to prod-0000000-nightly: its numerical policy orders "prod-0000000-nightly" \(from prod-0000000-nightly\), which is not a number/);
});

test.run();
