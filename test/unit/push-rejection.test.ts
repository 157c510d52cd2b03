import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePushRejection } from '../../src/apply/push-rejection.js';

// What `git push --porcelain --atomic` prints when GitHub's branch protection refuses it: the
// porcelain line per ref on stdout, the remote's sideband lines on stderr (GitHub ends each
// with the erase-line sequence git adds on a terminal), shaped on the GH006 reports people post.
const GITHUB_STDOUT = 'To github.com:shop-team/deploy.git\n!\t4f2c9e1aa0b3c4d5e6f708192a3b4c5d6e7f8091:refs/heads/main\t[remote rejected] (protected branch hook declined)\nDone\n';
const GITHUB_STDERR = [
  'remote: Resolving deltas: 100% (2/2), completed with 2 local objects.\u001b[K',
  'remote: error: GH006: Protected branch update failed for refs/heads/main.\u001b[K',
  'remote: error: Changes must be made through a pull request.\u001b[K',
  'error: failed to push some refs to \'github.com:shop-team/deploy.git\'',
  '',
].join('\n');

test('the refused ref, git\'s reason and the remote\'s own lines, without its progress or terminal sequences', () => {
  const r = parsePushRejection(GITHUB_STDOUT, GITHUB_STDERR);
  assert.equal(r.refs, [{ ref: 'refs/heads/main', why: '[remote rejected] (protected branch hook declined)' }]);
  assert.equal(r.remote, ['error: GH006: Protected branch update failed for refs/heads/main.', 'error: Changes must be made through a pull request.']);
  assert.is(r.last, undefined, 'refs were named');
});

test('an atomic push of several refs names each one git did not push', () => {
  const stdout = '!\taaaa:refs/heads/main\t[rejected] (non-fast-forward)\n!\tbbbb:refs/tags/hotfix-1\t[rejected] (atomic push failed)\n';
  assert.equal(parsePushRejection(stdout, '').refs.map((r) => r.ref), ['refs/heads/main', 'refs/tags/hotfix-1']);
});

test('a remote that cannot be reached: no ref, git\'s last line', () => {
  const r = parsePushRejection('', 'fatal: \'/gone/deploy.git\' does not appear to be a git repository\nfatal: Could not read from remote repository.\n');
  assert.equal(r.refs, []);
  assert.is(r.last, 'fatal: Could not read from remote repository.');
});

test('a remote that talks without end is cut: 20 lines of at most 300 characters', () => {
  const stderr = Array.from({ length: 50 }, (_, i) => `remote: ${String(i).repeat(400)}`).join('\n');
  const r = parsePushRejection('', stderr);
  assert.is(r.remote.length, 20);
  assert.ok(r.remote.every((l) => l.length <= 301));
});

test.run();
