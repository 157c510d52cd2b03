import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextPage } from '../../src/state/registry/link-header.js';
import { chooseChallenge, parseChallenges } from '../../src/state/registry/www-authenticate.js';

test('a bearer challenge as Docker Hub sends it', () => {
  assert.equal(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
  ]);
});

test('a basic challenge as distribution sends it', () => {
  assert.equal(parseChallenges('Basic realm="basic-realm"'), [{ scheme: 'basic', params: { realm: 'basic-realm' } }]);
  assert.equal(parseChallenges('Basic'), [{ scheme: 'basic', params: {} }]);
});

test('quoted commas and escapes, spaces around =, token values, case', () => {
  assert.equal(parseChallenges('BEARER Realm = "https://a/t?x=1,2", error="say \\"no\\"" , scope=repository:a/b:pull'), [
    { scheme: 'bearer', params: { realm: 'https://a/t?x=1,2', error: 'say "no"', scope: 'repository:a/b:pull' } },
  ]);
});

test('several challenges in one header: bearer is chosen over basic', () => {
  const challenges = parseChallenges('Basic realm="r", Bearer realm="https://auth.example.com/token",service="reg"');
  assert.equal(challenges.map((c) => c.scheme), ['basic', 'bearer']);
  assert.equal(chooseChallenge(challenges)?.params, { realm: 'https://auth.example.com/token', service: 'reg' });
  assert.is(chooseChallenge(parseChallenges('Basic realm="r"'))?.scheme, 'basic');
});

test('nothing answerable: empty, other schemes, garbage', () => {
  assert.equal(parseChallenges(''), []);
  assert.is(chooseChallenge(parseChallenges('Negotiate, NTLM')), undefined);
  assert.equal(parseChallenges('=;;'), []);
  // What parsed before the garbage is kept.
  assert.equal(parseChallenges('Bearer realm="x" ;;junk'), [{ scheme: 'bearer', params: { realm: 'x' } }]);
});

test('Link pagination: the next page, resolved against the page it came from', () => {
  const page = new URL('http://127.0.0.1:5000/v2/team/app/tags/list?n=100');
  assert.is(nextPage('</v2/team/app/tags/list?last=b&n=100>; rel="next"', page)?.href, 'http://127.0.0.1:5000/v2/team/app/tags/list?last=b&n=100');
  assert.is(nextPage('<https://r.example.com/v2/x/tags/list?last=b>; rel=next', page)?.href, 'https://r.example.com/v2/x/tags/list?last=b');
  assert.is(nextPage('</v2/a?last=z>; rel="prev", </v2/a?last=c>; rel="next"', page)?.href, 'http://127.0.0.1:5000/v2/a?last=c');
  assert.is(nextPage('</v2/a?last=z>; rel="prev"', page), undefined);
  assert.is(nextPage(null, page), undefined);
  assert.is(nextPage('</v2/a?last=z>; rel="nextish"', page), undefined);
});

test.run();
