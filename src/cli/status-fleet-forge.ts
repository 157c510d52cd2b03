import type { FleetService } from '../plan/fleet-status.js';
import type { ForgeAccessOptions } from './forge-access.js';
import { askForge, gateKey, type ForgeStatus } from './status-forge.js';
import { journalOf, journalPlans, type JournalStatus } from './status-journal.js';

/** A fleet's journals, by policy file, and what the forges say now of all of them. */
export interface FleetForgeStatus {
  readonly journals: ReadonlyMap<string, JournalStatus>;
  readonly forge: ForgeStatus;
}

/**
 * `status --forge` over a directory of policies: the journals of the bound repositories are
 * read once and split by policy, then the forges are asked once for all of them, so each
 * forge has one client for the fleet, a pull request two policies' journals name is asked
 * once, and a policy with nothing journalled costs no request.
 */
export async function fleetForgeStatus(services: readonly FleetService[], repos: Readonly<Record<string, string>>, environment: string | undefined, options: ForgeAccessOptions, env: Record<string, string | undefined>): Promise<FleetForgeStatus> {
  const plans = await journalPlans(repos);
  // A policy that did not load has no name to find its journal by.
  const journals = new Map(services.filter((s) => s.name !== undefined).map((s) => [s.file, journalOf(plans, s.name!, environment)] as const));
  const all = [...journals.values()];
  const fleet: JournalStatus = {
    pullRequests: [...new Map(all.flatMap((j) => j.pullRequests).map((r) => [r.url, r])).values()],
    approvals: [],
    gates: [...new Map(all.flatMap((j) => j.gates).map((g) => [gateKey(g), g])).values()],
  };
  return { journals, forge: await askForge(fleet, options, env) };
}
