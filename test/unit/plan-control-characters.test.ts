import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { controlCharacterProblem } from '../../src/plan/control-characters.js';

/** Plan-shaped data, the text under test at `where` (one of a single-line and a multi-line field). */
const at = (where: 'title' | 'message' | 'diff' | 'before', text: string) => ({ actions: [{ kind: 'x', [where]: text }], notes: ['a note'] });

const CASES: Array<[string, unknown, string | undefined]> = [
  ['plain text', at('title', 'Revert "bump" – café ✓'), undefined],
  ['a tab in a title', at('title', 'a\tb'), undefined],
  ['lines in a commit message', at('message', 'Subject\n\nBody\twith a tab\n'), undefined],
  ['CRLF lines in a diff', at('diff', '@@ -1 +1 @@\r\n-a: 1\r\n+a: 2\r\n'), undefined],
  ['CRLF file contents', at('before', 'a: 1\r\nb: 2\r\n'), undefined],
  ['a newline in a title', at('title', 'a\nb'), 'a control character (U+000A) in /actions/0/title'],
  ['a carriage return and erase in a title', at('title', 'ok\r\x1b[K'), 'a control character (U+000D) in /actions/0/title'],
  ['a lone carriage return in a message', at('message', 'shown\rhidden'), 'a control character (U+000D) in /actions/0/message'],
  ['a carriage return at the end of a diff', at('diff', '+a\r'), 'a control character (U+000D) in /actions/0/diff'],
  ['ESC in a message', at('message', 'a\x1b]8;;http://x\x07b'), 'a control character (U+001B) in /actions/0/message'],
  ['NUL in file contents', at('before', 'a\0'), 'a control character (U+0000) in /actions/0/before'],
  ['a C1 CSI', at('title', 'a\x9b2J'), 'a control character (U+009B) in /actions/0/title'],
  ['DEL', { notes: ['a\x7f'] }, 'a control character (U+007F) in /notes/0'],
  ['a control character in a key', { repos: { 'a\x1b': 'x' } }, 'a control character (U+001B) in a key of /repos'],
  ['a key with / and ~, as a JSON pointer', { 'a/b~c': 'x\x01' }, 'a control character (U+0001) in /a~1b~0c'],
  ['the first in document order', { notes: ['\x01', '\x02'], z: '\x03' }, 'a control character (U+0001) in /notes/0'],
];

for (const [label, data, expected] of CASES) test(`control characters: ${label}`, () => assert.is(controlCharacterProblem(data), expected));

test('control characters: nesting deeper than the stack is walked', () => {
  let deep: unknown = 'a\x1b';
  for (let i = 0; i < 200_000; i++) deep = { k: deep };
  assert.match(controlCharacterProblem(deep) ?? '', /^a control character \(U\+001B\) in (\/k){200000}$/);
});

test.run();
