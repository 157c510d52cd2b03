import type { Rule } from './rule.js';

/** The release branch receives the hotfix already; merging back into it again is a mistake. */
export const mergeBackRules: Rule = ({ policy, report }) => {
  const hotfix = policy.spec.hotfix;
  if (!hotfix?.mergeBack || hotfix.release === undefined) return [];
  const index = hotfix.mergeBack.indexOf(hotfix.release);
  if (index < 0) return [];
  return [report('HF127', `hotfix.mergeBack lists "${hotfix.release}", which is also hotfix.release, the branch the hotfix is released on`, ['spec', 'hotfix', 'mergeBack', index])];
};
