import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closest } from '../../src/policy/did-you-mean.js';
import { refNameProblem, shortRefNameProblem } from '../../src/policy/git-ref-name.js';
import { imageTagProblem, parseTemplate, renderTemplate } from '../../src/policy/template.js';

test('closest: likely typos are suggested, unrelated words are not', () => {
  assert.is(closest('securty', ['security', 'payment']), 'security');
  assert.is(closest('Security', ['security']), 'security');
  assert.is(closest('fiel', ['file', 'repo']), 'file');
  assert.is(closest('banana', ['security', 'payment']), undefined);
});

test('ref names: what git check-ref-format accepts', () => {
  for (const ok of ['main', 'hotfix/20261122-26a4b87', 'release/1.2.3', 'a.b', 'x@y'])
    assert.is(shortRefNameProblem(ok), undefined, ok);
  const bad: Array<[string, RegExp]> = [
    ['a..b', /\.\./],
    ['-rf', /option/],
    ['x/-y', /option/],
    ['a b', /space/],
    ['a~1', /~/],
    ['a^', /\^/],
    ['a:b', /:/],
    ['a?', /\?/],
    ['a*', /\*/],
    ['a[', /\[/],
    ['a\\b', /\\/],
    ['a@{1}', /@\{/],
    ['@', /"@"/],
    ['/a', /starts or ends/],
    ['a/', /starts or ends/],
    ['a//b', /\/\//],
    ['a.', /ends with "\."/],
    ['.hidden/x', /starts with "\."/],
    ['x/y.lock', /\.lock/],
    ['a\u0007b', /control character/],
    ['HEAD', /HEAD/],
    ['', /empty/],
  ];
  for (const [name, why] of bad) assert.match(shortRefNameProblem(name) ?? '', why, JSON.stringify(name));
  assert.is(refNameProblem('refs/heads/main'), undefined);
});

test('templates: parse, render, unclosed braces', () => {
  assert.equal(parseTemplate('hotfix/{date}-{sha7}').parts, [
    { kind: 'text', text: 'hotfix/' },
    { kind: 'placeholder', name: 'date', offset: 7 },
    { kind: 'text', text: '-' },
    { kind: 'placeholder', name: 'sha7', offset: 14 },
  ]);
  assert.is(parseTemplate('v{version').unclosedAt, 1);
  assert.is(renderTemplate('main-{sha7}', { sha7: 'abc1234' }), 'main-abc1234');
  assert.throws(() => renderTemplate('{sha}', {}), /no value/);
});

test('image tags: docker grammar', () => {
  assert.is(imageTagProblem('main-26a4b87'), undefined);
  assert.match(imageTagProblem('.x') ?? '', /start/);
  assert.match(imageTagProblem('a/b') ?? '', /"\/"/);
  assert.match(imageTagProblem('a'.repeat(129)) ?? '', /128/);
});

test.run();
