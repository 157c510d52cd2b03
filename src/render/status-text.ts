import type { EnvironmentStatus } from '../plan/environment-status.js';
import type { FoundAutomation } from '../plan/automation/engine.js';
import type { HotfixContainment } from '../plan/hotfix/hotfix-containment.js';
import type { Style } from './style.js';

export function renderStatusText(policyName: string, environments: readonly EnvironmentStatus[], style: Style): string {
  const out = [style.bold(`Status of ${policyName}`), ''];
  for (const env of environments) {
    out.push(`${style.bold(env.name)}  ${style.dim(`(${env.config.repo} ${env.config.branch}@${env.config.head.slice(0, 7)}:${env.config.file})`)}`);
    out.push(`  declared    ${env.declared}${env.commit ? `  (app commit ${env.commit.sha} from the tag)` : ''}`);
    if (env.deployed) out.push(...deployedLines(env.deployed, style));
    if (env.running) out.push(`  running     ${env.running.image}${env.running.digest ? `@${env.running.digest}` : ''}  (${env.running.source === 'file' ? 'state file' : 'kubectl'})`);
    else out.push(`  running     ${env.runningError ? style.red(`unknown: ${env.runningError}`) : style.dim('not read')}`);
    if (env.running) out.push(`  rollout     ${env.running.healthy ? style.green(env.running.health) : style.yellow(env.running.health)}`);
    out.push(`  drift       ${env.drift === null ? style.dim('unknown') : env.drift ? style.red('yes: the cluster runs another image than the config declares') : style.green('none')}`);
    if (env.automation.length === 0) out.push(`  automation  ${style.dim('none found in the config repository')}`);
    env.automation.forEach((a, i) => out.push(`  ${i === 0 ? 'automation' : '          '}  ${a.engine} ${a.name} ${automationState(a, style)} (${a.file})`));
    if (env.hotfix) out.push(...hotfixLines(env.hotfix, style));
    out.push('');
  }
  return out.join('\n');
}

/** When the declared value was deployed, by which commit (and merge), and whether it is a rollback. */
function deployedLines(d: NonNullable<EnvironmentStatus['deployed']>, style: Style): string[] {
  if ('unknown' in d) return [`  deployed    ${style.yellow(`unknown: ${d.unknown}`)}`];
  const by = d.landed ? `the merge ${d.landed.commit.slice(0, 7)} ${d.landed.subject} (of ${d.commit.slice(0, 7)} ${d.subject})` : `${d.commit.slice(0, 7)} ${d.subject}`;
  const out = [`  deployed    ${d.date} by ${by}`];
  if (d.rollsBack) out.push(`  rollback    ${style.yellow(`it rolls back ${d.rollsBack.map((c) => c.slice(0, 7)).join(', ')}`)}`);
  return out;
}

/** A bot only opens pull requests, which a person merges: it never undoes a rollback by itself. */
function automationState(a: FoundAutomation, style: Style): string {
  if (!a.writesBack) return 'opens pull requests';
  return a.active ? style.yellow('active') : a.engine === 'flux-v1' ? 'locked' : 'suspended';
}

/** The hotfix changes an environment runs, and where each target lacks them (HF380's finding, shown in place). */
function hotfixLines(h: HotfixContainment, style: Style): string[] {
  if (h.unknown) return [`  hotfix      ${style.yellow(`unknown: ${h.unknown}`)}`];
  if (h.changes.length === 0) return [`  hotfix      ${style.dim(`none: ${h.commit!.slice(0, 7)} is a mainline commit`)}`];
  const out = [`  hotfix      ${h.changes.length} change${h.changes.length === 1 ? '' : 's'} beyond the mainline at ${h.base!.slice(0, 7)}: ${h.changes.map((c) => `${c.sha.slice(0, 7)} ${c.subject}`).join('; ')}`];
  const rows = [
    ...h.targets.map((t) => (t.contained ? style.green(`${t.target} holds it`) : style.red(`${t.target} lacks ${t.commits.filter((c) => !c.heldBy).map((c) => c.sha.slice(0, 7)).join(', ')}`))),
    ...h.missingTargets.map((name) => style.red(`${name} lacks it (no such branch)`)),
  ];
  rows.forEach((row, i) => out.push(`  ${i === 0 ? 'contained ' : '          '}  ${row}`));
  return out;
}
