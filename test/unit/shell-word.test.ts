import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shellWord } from '../../src/plan/shell-word.js';

/** What sh makes of the word: the one argument printf receives. */
const throughShell = (word: string) => spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' }).stdout;

test('a quoted word reaches the command as it was, whatever it holds', () => {
  for (const name of ["release/1.5", "it's", "a;rm -rf x", '$(touch pwned)', '`id`', 'two words', '*', '-n', "''", '\\']) assert.is(throughShell(shellWord(name)), name);
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\0')), (value) => throughShell(shellWord(value)) === value),
    { numRuns: 60 },
  );
});

test.run();
