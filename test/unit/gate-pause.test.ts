import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gatePauseMs } from '../../src/apply/pass-gate.js';

// apply --wait looks at an unmet gate again soon, then less and less often.
test('the pauses double from 1 s up to the longest', () => {
  assert.equal([1, 2, 3, 4, 5, 6, 50].map((n) => gatePauseMs(n, 10_000)), [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});

test('a short wait polls at its own longest pause from the start', () => {
  assert.equal([1, 2, 9].map((n) => gatePauseMs(n, 500)), [500, 500, 500]);
});

test('no pause overflows however long apply has waited', () => {
  assert.is(gatePauseMs(10_000, 10_000), 10_000);
});

test.run();
