import { checkStateText } from '../forge/check-reports.js';
import { gateKey, type ForgeStatus } from './status-forge.js';
import type { JournalStatus } from './status-journal.js';

/**
 * What `status` shows of apply's journals, after the environments: the pull requests apply
 * opened, who approved each applied plan, the gates a hotfix waits at; with `--forge`, each
 * pull request's state and each check's, as the forge says now. None when there is nothing.
 * The journal is a file anyone on the machine may edit: what it says is kept to its line
 * (every output passes through printable() for the rest).
 */
export function journalStatusLines(journal: JournalStatus, forge: ForgeStatus | undefined): string[] {
  const lines: string[] = [];
  const notAsked = forge?.notAsked ?? [];
  const plan = (id: string) => `plan ${oneLine(id).slice(0, 19)}…`;
  if (journal.pullRequests.length > 0) {
    lines.push('', `Pull requests apply opened (from its journal; ${forge ? 'their state read from the forge now' : 'their state on the forge is not read: pass --forge'}):`);
    for (const r of journal.pullRequests) {
      const now = forge?.pullRequests.get(r.url);
      const state = now === undefined ? '' : 'state' in now ? `  ${now.state}` : `  state not read: ${oneLine(now.notRead)} [${now.code}]`;
      lines.push(`  ${oneLine(r.environment)} ${oneLine(r.kind)}: ${oneLine(r.url)}  ${oneLine(r.head)} → ${oneLine(r.base)}${state}  (${plan(r.plan)}, ${oneLine(r.at)})`);
    }
  }
  if (journal.approvals.length > 0) {
    // Commit ids are fixed when the plan is made, before anyone approves: who approved is recorded here, never as a commit trailer.
    lines.push('', 'Approved (apply --pr, from its journal):');
    for (const a of journal.approvals) lines.push(`  ${oneLine(a.environment)} ${oneLine(a.kind)} ${plan(a.plan)}: ${oneLine(a.pullRequest)} by ${a.approvers.length > 0 ? a.approvers.map(oneLine).join(', ') : 'no one'} (${a.required} required) at ${oneLine(a.head).slice(0, 7)}, checked ${oneLine(a.at)}`);
  }
  if (journal.gates.length > 0) {
    lines.push('', `Waiting at the gate (from apply's journal${forge ? '; checks read from the forge now' : '; the checks are not read: pass --forge'}):`);
    for (const g of journal.gates) {
      const now = forge?.gates.get(gateKey(g));
      const where = `${g.checksFrom.forge === 'github' ? 'GitHub' : 'GitLab'} ${oneLine(g.checksFrom.repository)}`;
      const checks = now === undefined ? g.checks.map(oneLine).join(', ') : 'checks' in now ? now.checks.map(checkStateText).join(', ') : `${g.checks.map(oneLine).join(', ')}, not read: ${oneLine(now.notRead)} [${now.code}]`;
      lines.push(`  ${oneLine(g.environment)} ${oneLine(g.kind)} ${plan(g.plan)}: ${oneLine(g.action)} waits for checks on ${oneLine(g.revision).slice(0, 7)} in ${where}: ${checks}`);
    }
  }
  if (notAsked.length > 0 && lines.length > 0) lines.push('', ...notAsked);
  return lines;
}

/** A journal's string on one line: a line break in it cannot make a line of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
