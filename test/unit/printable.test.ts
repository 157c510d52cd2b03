import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { controlCharacterProblem } from '../../src/plan/control-characters.js';
import { printable } from '../../src/render/printable.js';
import { STYLE_MARK, styleFor } from '../../src/render/style.js';
import { ROOT } from '../helpers/run-cli.js';

/** Written out here, not taken from the code under test: what must never reach a terminal raw. */
const STEERING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every character of the classes, and the neighbours that must pass. */
const characters = fc.oneof(
  fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u061c', '\u200d', '\u200e', '\u200f', '\u2029', '\u202a', '\u202e', '\u202f', '\u2066', '\u2069', '\u206a', '\ue000', '\ud83d\ude00', 'é'),
);
const text = fc.array(characters, { maxLength: 40 }).map((a) => a.join(''));

test('printable: no steering character is left, tab and line feed stay, CR only before LF', () => {
  fc.assert(
    fc.property(text, (s) => {
      const out = printable(s);
      const withoutCrlf = out.replace(/\r\n/g, '\n');
      assert.not.ok(STEERING.test(withoutCrlf), JSON.stringify(out));
      assert.is(out.split('\t').length, s.split('\t').length);
      assert.is(out.split('\n').length, s.split('\n').length);
    }),
    { numRuns: 3000 },
  );
});

test('printable: each escape is visible and names the character', () => {
  assert.is(printable('a\x1b[2Jb'), 'a\\x1b[2Jb');
  assert.is(printable('\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07'), '\\x1b]8;;https://evil.example/\\x07link\\x1b]8;;\\x07');
  assert.is(printable('\x9b31m\x7f'), '\\u009b31m\\u007f');
  assert.is(printable('abc\u202edef\u2066\u200f'), 'abc\\u202edef\\u2066\\u200f');
  assert.is(printable('line\r\nnext\rover'), 'line\r\nnext\\x0dover');
});

test('printable: JSON output stays exact JSON with the same values', () => {
  fc.assert(
    fc.property(fc.oneof(text, fc.string({ unit: 'binary' })), (s) => {
      const json = JSON.stringify({ message: s }, null, 2);
      const out = printable(json);
      assert.not.ok(STEERING.test(out), out);
      assert.equal(JSON.parse(out), { message: s });
    }),
    { numRuns: 3000 },
  );
});

test('printable: only hotfix\'s own style marks become escape sequences, and a mark cannot be forged', () => {
  const style = styleFor({ isTTY: true }, {});
  assert.is(printable(`${style.red('error')} \x1b[31mnot ours`), '\x1b[31merror\x1b[39m \\x1b[31mnot ours');
  // A mark needs the key drawn at start-up: the private-use character alone is plain text.
  assert.is(printable('\ue00031m'), '\ue00031m');
  assert.ok(STYLE_MARK.length > 8);
  assert.is(styleFor({ isTTY: false }, {}).red('x'), 'x');
  assert.is(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x'), 'x');
});

test('plans refuse C1 and bidi controls as they refuse C0', () => {
  assert.is(controlCharacterProblem({ notes: ['fine \u202eenil'] }), 'a control character (U+202E) in /notes/0');
  assert.is(controlCharacterProblem({ actions: [{ message: 'a\nb\u2066c' }] }), 'a control character (U+2066) in /actions/0/message');
  assert.is(controlCharacterProblem({ actions: [{ diff: '+x\u200f\n' }] }), 'a control character (U+200F) in /actions/0/diff');
  assert.is(controlCharacterProblem({ repos: { 'a\u061c': 'x' } }), 'a control character (U+061C) in a key of /repos');
  assert.is(controlCharacterProblem({ actions: [{ message: 'a\r\nb\tc é \u200d' }] }), undefined);
});

test('no module writes to the process\'s streams (or the console) but the entry points: everything else goes through TerminalOutput', () => {
  const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'src', f));
  assert.ok(files.length > 100, `${files.length} source files found`);
  const writers = files.filter((f) => /process\.(stdout|stderr)\b|console\.\w+\(/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort();
  assert.equal(writers, ['src/cli/main.ts', 'src/cli/run-cli.ts']);
});

test.run();
