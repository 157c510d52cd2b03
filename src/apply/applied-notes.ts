import { resolve } from 'node:path';
import type { Plan } from '../plan/types.js';
import { Journal } from './journal.js';
import { matchTemplate } from '../policy/template.js';

/**
 * What an apply of this plan made otherwise than the plan names, from its journal: the
 * commits made again on a branch that had moved (the plan stays as sealed). One line each;
 * none when the plan's first repository or its journal is not on this machine.
 */
export async function rederivedNotes(plan: Plan, cwd: string): Promise<string[]> {
  const journal = await journalOf(plan, cwd);
  const ids = new Set(plan.actions.map((a) => a.id));
  return [...(journal?.rederived.values() ?? [])]
    .filter((r) => ids.has(r.action))
    .map((r) => `${r.action} was applied as ${r.applied} on ${r.onto}, not as the planned ${r.planned}: its branch had moved since the plan (the same change, by the plan's rule)`);
}

/**
 * The tag each gate that decides one took, and the commits made with it instead of the
 * planned ones. The journal is a file anyone on the machine may edit: a tag is shown only
 * where it fits the gate's pattern, and ids only as hex.
 */
export async function gateTagNotes(plan: Plan, cwd: string): Promise<string[]> {
  const journal = await journalOf(plan, cwd);
  return (journal?.gateTags ?? []).flatMap((r) => {
    const gate = plan.actions.find((g) => g.id === r.action && g.kind === 'gate');
    if (gate?.kind !== 'gate' || gate.tagAtGate !== r.pattern || matchTemplate(r.pattern, r.tag) === undefined) return [];
    const made = (r.made ?? []).filter((m) => plan.actions.some((a) => a.id === m.action) && [m.planned, m.applied].every((c) => /^[0-9a-f]{40}$/.test(c)));
    const others = r.fitting.filter((t) => t !== r.tag && matchTemplate(r.pattern, t) !== undefined);
    return [
      `${r.action} took the tag ${r.tag}, the newest that fits ${r.pattern}${others.length > 0 ? ` (also fitting: ${others.join(', ')})` : ''}`,
      ...made.map((m) => `${m.action} was applied with ${r.tag} as ${m.applied}, not as the planned ${m.planned}: the diff shown, with ${r.pattern} as ${r.tag}`),
    ];
  });
}

/**
 * The required checks a person attested with `apply --check` where the gate passed on them,
 * who and when, from the journal. Only the gate's own check names are shown, and the
 * attester in the characters a login has: the journal is a file anyone on the machine may edit.
 */
export async function attestedNotes(plan: Plan, cwd: string): Promise<string[]> {
  const journal = await journalOf(plan, cwd);
  return (journal?.attested ?? []).flatMap((a) => {
    const gate = plan.actions.find((g) => g.id === a.action && g.kind === 'gate');
    const checks = gate?.kind === 'gate' ? a.checks.filter((c) => gate.checks.includes(c)) : [];
    if (checks.length === 0) return [];
    const at = Number.isNaN(Date.parse(a.at)) ? 'at an unknown time' : `at ${new Date(a.at).toISOString()}`;
    return [`${a.action} passed on ${checks.join(', ')} attested by ${a.by.replace(/[^\w.@[\]() -]/g, '?')} (--check) ${at}, not read from CI`];
  });
}

/**
 * Who approved the plan where apply --pr checked it, from the journal, every run that
 * checked it (the commits carry the first's in Approved-by trailers: approved-by.ts).
 * Logins in the characters a login has, the pull request only as owner/repo#N or group/project!N.
 */
export async function approvedNotes(plan: Plan, cwd: string): Promise<string[]> {
  const journal = await journalOf(plan, cwd);
  return (journal?.approved ?? []).flatMap((a) => {
    if (!/^[\w.-]+(\/[\w.-]+)+[#!][1-9][0-9]*$/.test(a.pullRequest)) return [];
    const by = a.approvers.map((login) => login.replace(/[^\w.@[\]() -]/g, '?'));
    const at = Number.isNaN(Date.parse(a.at)) ? 'at an unknown time' : `at ${new Date(a.at).toISOString()}`;
    return [`approved on ${a.pullRequest} by ${by.length > 0 ? by.join(', ') : 'no one'} (${a.required} required) at ${a.head.replace(/[^0-9a-f]/g, '').slice(0, 7)}, checked by apply --pr ${at}`];
  });
}

/** The journal of an apply of this plan; undefined when its first repository or journal is not on this machine. */
async function journalOf(plan: Plan, cwd: string): Promise<Journal | undefined> {
  const first = plan.actions.find((a) => 'repo' in a);
  const path = first && 'repo' in first && Object.hasOwn(plan.repos, first.repo) ? plan.repos[first.repo] : undefined;
  if (path === undefined) return undefined;
  return Journal.open(resolve(cwd, path), plan.id).catch(() => undefined);
}
