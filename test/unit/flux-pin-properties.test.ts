import fc from 'fast-check';
import jsonpatch from 'jsonpatch';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pinSelection } from '../../src/plan/automation/flux-pin.js';
import type { TagSelection } from '../../src/state/types.js';
import { fluxSelects } from '../helpers/automation-cli.js';

/** An ImagePolicy spec as written, from its selection. */
function policyOf(s: TagSelection): any {
  return {
    spec: {
      ...(s.pattern !== undefined || s.extract !== undefined ? { filterTags: { ...(s.pattern !== undefined && { pattern: s.pattern }), ...(s.extract !== undefined && { extract: s.extract }) } } : {}),
      policy: s.semverRange !== undefined ? { semver: { range: s.semverRange } } : s.numerical ? { numerical: { order: s.numerical } } : { alphabetical: { order: s.alphabetical ?? 'asc' } },
    },
  };
}

/** The pin applied as RFC 6902 operations by the jsonpatch library, never by the code under test. */
function pinned(s: TagSelection, tag: string): any {
  const pin = pinSelection(s, tag);
  if ('reason' in pin) throw new Error(pin.reason);
  return jsonpatch.apply_patch(policyOf(s), pin.ops);
}

const sha = fc.stringMatching(/^[0-9a-f]{7}$/);
const stamp = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 });
const branch = fc.constantFrom('main', 'prod', 'release-1.2');
/** `{branch}-{sha7}-{timestamp}` tags, Flux's recommended form, with distinct timestamps. */
const sortable = fc.uniqueArray(fc.tuple(branch, sha, stamp), { minLength: 2, maxLength: 12, selector: ([, , t]) => t }).map((xs) => xs.map(([b, s, t]) => `${b}-${s}-${t}`));
const versions = fc.uniqueArray(fc.tuple(fc.nat(3), fc.nat(12), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`), { minLength: 2, maxLength: 12 });

test('named group used by extract, numerical policy: the pinned policy selects exactly the pinned tag among any tags', () => {
  fc.assert(
    fc.property(sortable, fc.nat(), fc.constantFrom<'asc' | 'desc'>('asc', 'desc'), (tags, i, order) => {
      const tag = tags[i % tags.length]!;
      const s: TagSelection = { pattern: '^[a-z0-9.-]+-[a-fA-F0-9]+-(?P<ts>.*)', extract: '$ts', numerical: order };
      assert.is(fluxSelects(pinned(s, tag), tags), tag);
    }),
  );
});

test('numbered groups used by extract (${1}.${2}), alphabetical policy: the pinned policy selects exactly the pinned tag', () => {
  fc.assert(
    fc.property(sortable, fc.nat(), (tags, i) => {
      const tag = tags[i % tags.length]!;
      const s: TagSelection = { pattern: '^([a-z0-9.-]+)-[a-f0-9]+-([0-9]+)$', extract: '${2}.${1}', alphabetical: 'asc' };
      assert.is(fluxSelects(pinned(s, tag), tags), tag);
    }),
  );
});

test('semver range, with and without a filter: the pinned range and filter select exactly the pinned version', () => {
  fc.assert(
    fc.property(versions, fc.nat(), fc.boolean(), (tags, i, filtered) => {
      const tag = tags[i % tags.length]!;
      const s: TagSelection = { semverRange: '>=0.0.0', ...(filtered ? { pattern: '^[0-9.]+$' } : {}) };
      const p = pinned(s, tag);
      assert.is(p.spec.policy.semver.range, tag);
      assert.is(fluxSelects(p, tags), tag);
    }),
  );
});

test('a pattern that does not match the pinned tag drops extract and still selects only that tag (alphabetical)', () => {
  fc.assert(
    fc.property(sortable, fc.nat(), (tags, i) => {
      const tag = tags[i % tags.length]!;
      const s: TagSelection = { pattern: '^nightly-(?P<n>.*)$', extract: '$n', alphabetical: 'desc' };
      const p = pinned(s, tag);
      assert.is(p.spec.filterTags.extract, undefined);
      assert.is(fluxSelects(p, tags), tag);
    }),
  );
});

test.run();
