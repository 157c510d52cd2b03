import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { attentionOf, statusVerdict, type EnvironmentStatus } from './environment-status.js';

/** An environment whose config could not be read (an unbound repository, a missing branch or file): the finding says why. */
export interface UnreadableEnvironment {
  readonly name: string;
  readonly unreadable: Diagnostic;
}

export type FleetEnvironment = EnvironmentStatus | UnreadableEnvironment;

/** One policy of the fleet: its environments, or the first error that kept it from loading. */
export interface FleetService {
  /** metadata.name; absent for a file that did not load. */
  readonly name?: string;
  readonly file: string;
  readonly environments: readonly FleetEnvironment[];
  readonly unreadable?: Diagnostic;
}

export const isUnreadable = (e: FleetEnvironment): e is UnreadableEnvironment => 'unreadable' in e;

/**
 * `status --detailed-exitcode` over a fleet: `unreadable` when any policy, config or
 * workload could not be read (what could be is still shown), else `attention` when any
 * environment drifts, rolls out unhealthy or runs a hotfix not merged back, else `ok`.
 */
export function fleetVerdict(services: readonly FleetService[]): 'ok' | 'attention' | 'unreadable' {
  if (services.some((s) => s.unreadable !== undefined || s.environments.some(isUnreadable))) return 'unreadable';
  return statusVerdict(services.flatMap((s) => s.environments.filter((e): e is EnvironmentStatus => !isUnreadable(e))));
}

/** Services by name (files that did not load by path, after them), each keeping its environments in the policy's order. */
export function fleetOrder(services: readonly FleetService[]): FleetService[] {
  const key = (s: FleetService) => [s.name === undefined ? 1 : 0, s.name ?? '', s.file] as const;
  return [...services].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

/** How many environments need what, and how many could not be read: the table's last line. Policies that did not load have no environments to count. */
export function fleetCounts(services: readonly FleetService[]): { environments: number; unreadable: number; drift: number; unhealthy: number; notMergedBack: number } {
  const all = services.flatMap((s) => s.environments);
  const statuses = all.filter((e): e is EnvironmentStatus => !isUnreadable(e));
  const count = (what: ReturnType<typeof attentionOf>[number]) => statuses.filter((s) => attentionOf(s).includes(what)).length;
  return {
    environments: all.length,
    unreadable: all.length - statuses.length + statuses.filter((s) => s.runningError !== undefined).length,
    drift: count('drift'),
    unhealthy: count('unhealthy'),
    notMergedBack: count('hotfix not merged back'),
  };
}
