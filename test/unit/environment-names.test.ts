import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestName } from '../../src/policy/did-you-mean.js';

// Environment names as teams write them: spelt out, or in the short forms of their tooling
// (OpenShift's prd/nop, Helm value files named stg and prod).
test('an undeclared environment suggests the declared one it misspells or shortens, or that shortens it', () => {
  const declared = ['dev', 'staging', 'production'];
  const cases: Array<[string, string | undefined]> = [
    ['stagin', 'staging'],
    ['Staging', 'staging'],
    ['prodution', 'production'],
    ['prod', 'production'],
    ['prd', 'production'],
    ['stg', 'staging'],
    ['stage', 'staging'],
    ['development', 'dev'],
    ['qa', undefined],
    ['test', undefined],
    ['pr', undefined], // too short to stand for anything
  ];
  for (const [word, expected] of cases) assert.is(closestName(word, declared), expected, word);
});

test('a short form that fits two declared names suggests neither', () => {
  assert.is(closestName('prod', ['production', 'preprod']), undefined);
  assert.is(closestName('production', ['prd', 'nop']), 'prd');
  assert.is(closestName('nonprod', ['prd', 'nop']), 'nop');
});

test.run();
