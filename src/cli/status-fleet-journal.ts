import type { FleetService } from '../plan/fleet-status.js';
import type { ForgeStatus } from './status-forge.js';
import type { FleetForgeStatus } from './status-fleet-forge.js';
import { journalStatusJson } from './status-journal-json.js';
import { journalStatusLines } from './status-journal-lines.js';

/** The forge's answers without its "not asked" lines: a fleet says those once, not per policy. */
const perPolicy = (forge: ForgeStatus): ForgeStatus => ({ ...forge, notAsked: [] });

/**
 * What `status --forge` adds after a fleet's table: per policy with anything journalled, in
 * the table's order, its pull requests, approvals and waiting gates as one policy's status
 * shows them (indented under the policy), then once per forge why it was not asked.
 */
export function fleetJournalLines(services: readonly FleetService[], status: FleetForgeStatus): string[] {
  const lines: string[] = [];
  for (const service of services) {
    const journal = status.journals.get(service.file);
    // Each policy's lines open with the blank line before its first section.
    const own = journal ? journalStatusLines(journal, perPolicy(status.forge)).slice(1) : [];
    if (own.length > 0) lines.push('', `${service.name} (${service.file}):`, ...own.map((line) => (line === '' ? '' : `  ${line}`)));
  }
  if (lines.length === 0) return ['', "No pull request, approval or gate in apply's journals for these policies: no forge was asked."];
  return status.forge.notAsked.length > 0 ? [...lines, '', ...status.forge.notAsked] : lines;
}

/** `status --forge --format json` of a fleet: each service with its journal's fields as one policy's JSON has them, and `forgeNotAsked` once. */
export function fleetJournalJson(services: readonly FleetService[], status: FleetForgeStatus): Record<string, unknown> {
  const withJournal = services.map((service) => {
    const journal = status.journals.get(service.file);
    return journal ? { ...service, ...journalStatusJson(journal, perPolicy(status.forge)) } : service;
  });
  return { services: withJournal, ...(status.forge.notAsked.length > 0 ? { forgeNotAsked: status.forge.notAsked } : {}) };
}
