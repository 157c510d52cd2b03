import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseImageRef } from '../patch/image-ref.js';
import { attentionOf, type EnvironmentStatus } from '../plan/environment-status.js';
import { fleetCounts, isUnreadable, type FleetService } from '../plan/fleet-status.js';
import { printable } from './printable.js';
import type { Style } from './style.js';

type Tone = 'plain' | 'good' | 'warn' | 'bad' | 'dim';
interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}
/** A row of cells, or a service and environment then one finding across the rest. */
type Row = { readonly cells: readonly Cell[] } | { readonly lead: readonly Cell[]; readonly finding: Diagnostic };

const HEADER = ['SERVICE', 'ENV', 'DECLARED', 'RUNNING', 'DRIFT', 'ROLLOUT', 'AUTOMATION', 'HOTFIX'];

/**
 * A fleet's status as one table for people: a row per service and environment, columns
 * aligned (measured as the terminal shows the text, padded outside the colour), rows that could not be
 * read saying why in one line with the finding's code. JSON has the same facts as fields.
 */
export function renderFleetTable(services: readonly FleetService[], style: Style): string {
  const rows: Row[] = services.flatMap((service): Row[] => {
    if (service.unreadable) return [{ lead: [{ text: where(service.unreadable, service.file) }], finding: service.unreadable }];
    return service.environments.map((env, i) => {
      const lead = [{ text: i === 0 ? service.name! : '' }, { text: env.name }];
      if (isUnreadable(env)) return { lead, finding: env.unreadable };
      if (env.runningError !== undefined) return { lead: [...lead, { text: shortImage(env.declared) }], finding: { code: env.runningErrorCode ?? 'HF205', severity: 'error', message: env.runningError } };
      return { cells: [...lead, ...environmentCells(env)] };
    });
  }).map(asShown);
  // A policy that did not load puts its file:line:col where the service goes, without widening that column.
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => ('cells' in r ? r.cells : r.lead.length > 1 ? r.lead : [])[i]?.text.length ?? 0)));
  // Padded outside the colour, so a line's end trims.
  const paint = (cell: Cell, width: number) => tone(style, cell.tone ?? 'plain')(cell.text) + ' '.repeat(Math.max(0, width - cell.text.length));
  const line = (cells: readonly Cell[]) => cells.map((c, i) => paint(c, widths[i]!)).join('  ').trimEnd();
  const out = [style.bold(HEADER.map((h, i) => h.padEnd(widths[i]!)).join('  ').trimEnd())];
  for (const row of rows) {
    if ('cells' in row) out.push(line(row.cells));
    else out.push(`${row.lead.length === 1 ? paint(row.lead[0]!, 0) : line(row.lead)}  ${style.red(`${row.finding.code} ${firstLine(row.finding.message)}`)}`);
  }
  out.push('', summary(services), '');
  return out.join('\n');
}

/** Cells as the terminal will show them (printable), so widths are measured on that: an escape in a tag is four characters there. */
function asShown(row: Row): Row {
  const shown = (cells: readonly Cell[]) => cells.map((c) => ({ ...c, text: printable(c.text) }));
  return 'cells' in row ? { cells: shown(row.cells) } : { lead: shown(row.lead), finding: row.finding };
}

function environmentCells(env: EnvironmentStatus): Cell[] {
  const attention = attentionOf(env);
  const running = env.running;
  const runningImage = running ? (parseImageRef(running.image).name === parseImageRef(env.declared).name ? shortImage(running.image) : running.image) : 'not read';
  return [
    { text: shortImage(env.declared) },
    { text: runningImage, tone: running ? (attention.includes('drift') ? 'bad' : 'plain') : 'dim' },
    env.drift === null ? { text: '?', tone: 'dim' } : env.drift ? { text: 'DRIFT', tone: 'bad' } : { text: 'none', tone: 'good' },
    running ? rollout(env) : { text: '-', tone: 'dim' },
    automation(env),
    hotfix(env),
  ];
}

/** The tag (or digest) alone: the service names the image. */
function shortImage(image: string): string {
  const ref = parseImageRef(image);
  return ref.tag ?? (ref.digest ? `@${ref.digest.slice(0, 19)}` : image);
}

function rollout(env: EnvironmentStatus): Cell {
  const r = env.running!.rollout;
  const of = (n: number | undefined) => `${n ?? 0}/${r.desired ?? 0}`;
  if (env.running!.healthy) return { text: `${of(r.available)} available`, tone: 'good' };
  const parts = [`${of(r.available)} available`, ...((r.updated ?? 0) < (r.desired ?? 0) ? [`${of(r.updated)} updated`] : []), ...((r.observedGeneration ?? 0) < (r.generation ?? 0) ? [`generation ${r.observedGeneration ?? '?'}/${r.generation} seen`] : [])];
  return { text: parts.join(', '), tone: 'warn' };
}

/** An engine that writes back is what undoes a rollback: active in yellow, suspended (or locked) plain; bots only open pull requests. */
function automation(env: EnvironmentStatus): Cell {
  if (env.automation.length === 0) return { text: 'none', tone: 'dim' };
  const words = env.automation.map((a) => `${a.engine} ${!a.writesBack ? 'PRs' : a.active ? 'active' : a.engine === 'flux-v1' ? 'locked' : 'suspended'}`);
  return { text: [...new Set(words)].join(', '), tone: env.automation.some((a) => a.writesBack && a.active) ? 'warn' : 'plain' };
}

function hotfix(env: EnvironmentStatus): Cell {
  const h = env.hotfix;
  if (!h) return { text: '-', tone: 'dim' };
  if (h.unknown) return { text: 'unknown', tone: 'warn' };
  if (h.changes.length === 0) return { text: 'none', tone: 'dim' };
  if (h.contained) return { text: `${h.changes.length} merged back`, tone: 'good' };
  const lacking = [...h.targets.filter((t) => !t.contained).map((t) => t.target), ...h.missingTargets];
  return { text: `NOT in ${lacking.join(', ')}`, tone: 'bad' };
}

function summary(services: readonly FleetService[]): string {
  const c = fleetCounts(services);
  const named = services.filter((s) => !s.unreadable).length;
  const parts = [[c.drift, 'drifted'], [c.unhealthy, 'unhealthy'], [c.notMergedBack, 'with a hotfix not merged back'], [c.unreadable, 'unreadable']] as const;
  const unloaded = services.length - named;
  const found = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  const notLoaded = unloaded === 0 ? '' : `; ${unloaded} polic${unloaded === 1 ? 'y' : 'ies'} not loaded`;
  return `${c.environments} environment${c.environments === 1 ? '' : 's'} of ${named} service${named === 1 ? '' : 's'}: ${found.length === 0 ? 'all aligned and healthy' : found.join(', ')}${notLoaded}.`;
}

function where(d: Diagnostic, file: string): string {
  const at = d.range ? `:${d.range.start.line}:${d.range.start.col}` : '';
  return `${d.file ?? file}${at}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

function tone(style: Style, t: Tone): (text: string) => string {
  return t === 'good' ? style.green : t === 'warn' ? style.yellow : t === 'bad' ? style.red : t === 'dim' ? style.dim : (text) => text;
}
