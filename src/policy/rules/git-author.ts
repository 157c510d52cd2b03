import { identProblem } from '../git-ident.js';
import type { Rule } from './rule.js';

/** The author name is written into commit headers; the schema checks the email's shape, this the name's. */
export const gitAuthorRules: Rule = ({ policy, report }) => {
  const name = policy.spec.git?.author?.name;
  const problem = name === undefined ? undefined : identProblem(name);
  return problem ? [report('HF135', `git.author.name ${JSON.stringify(name)} cannot be written into a commit: ${problem}`, ['spec', 'git', 'author', 'name'])] : [];
};
