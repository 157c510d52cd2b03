import * as assert from 'uvu/assert';

type Verdict = { readonly code: string; readonly message: string } | { readonly approvers: readonly string[] };

/** A verdict of judge-approval or judge-gitlab-approval against what a case expects: a refusal's code, or the approvers. */
export function assertVerdict(verdict: Verdict, expected: string | readonly string[]): void {
  if (typeof expected === 'string') {
    assert.ok('code' in verdict, `expected ${expected}, got ${JSON.stringify(verdict)}`);
    assert.is(verdict.code, expected, verdict.message);
  } else {
    assert.ok('approvers' in verdict, JSON.stringify(verdict));
    assert.equal(verdict.approvers, expected);
  }
}
