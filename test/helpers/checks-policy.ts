import { readFile, writeFile } from 'node:fs/promises';

/**
 * The policy file with a `hotfix.checks` block under its `requiredChecks`, shaped as a team
 * whose CI is GitHub Actions (app 15368) or GitLab CI would write it.
 */
export async function withChecksSource(policyFile: string, checks: { forge: 'github' | 'gitlab'; repository: string; appId?: number; manual?: 'allow' | 'refuse' }): Promise<void> {
  const text = await readFile(policyFile, 'utf8');
  const anchor = /^( +)requiredChecks: .*\n/m.exec(text);
  if (!anchor) throw new Error(`${policyFile} has no hotfix.requiredChecks to put checks under`);
  const indent = anchor[1]!;
  const lines = [`${indent}checks:`, `${indent}  forge: ${checks.forge}`, `${indent}  repository: ${checks.repository}`];
  if (checks.appId !== undefined) lines.push(`${indent}  appId: ${checks.appId}  # only check runs of this GitHub App count`);
  if (checks.manual !== undefined) lines.push(`${indent}  manual: ${checks.manual}`);
  await writeFile(policyFile, text.replace(anchor[0], `${anchor[0]}${lines.join('\n')}\n`));
}
