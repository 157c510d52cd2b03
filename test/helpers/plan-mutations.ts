import type { Plan } from '../../src/plan/types.js';

/** Where a value sits in a plan: keys and indexes from the root. */
export type PlanPath = readonly (string | number)[];

export interface Mutation {
  readonly path: PlanPath;
  readonly how: string;
  /** The plan body changed at `path`, not yet sealed. */
  readonly body: Record<string, unknown>;
}

/** Every node of the body (the id aside), leaves and containers alike. */
export function planNodes(plan: Plan): PlanPath[] {
  const out: PlanPath[] = [];
  const visit = (value: unknown, path: PlanPath) => {
    if (path.length > 0) out.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) if (!(path.length === 0 && key === 'id')) visit(child, [...path, key]);
  };
  visit(plan, []);
  return out;
}

/** Every string in the plan: what an attacker substitutes is most dangerous when it is real. */
export function planStrings(plan: Plan): string[] {
  const out = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') out.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(plan);
  return [...out].sort();
}

/**
 * One edit at one node, chosen by numbers (so fast-check can shrink it): a string swapped
 * for another string of the plan, one character of it changed, or text added; a number
 * moved by one; a boolean flipped; null given a commit id; an item dropped, repeated or
 * swapped; an optional key removed. Returns undefined when the edit changes nothing.
 */
export function mutate(plan: Plan, path: PlanPath, choice: number, pool: readonly string[], extra: string): Mutation | undefined {
  const { id: _id, ...body } = structuredClone(plan) as unknown as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<any>((at, key) => at[key], body);
  const key = path.at(-1)!;
  const value = parent[key];
  let how: string;
  if (typeof value === 'string') {
    const variants: Array<[string, string]> = [
      [`another of the plan's strings`, pool[choice % pool.length]!],
      ['one character changed', value.length === 0 ? 'x' : flipCharacter(value, choice)],
      ['text added', `${value}${extra || '0'}`],
      ['text put first', `${extra || '0'}${value}`],
    ];
    [how, parent[key]] = variants[choice % variants.length]!;
  } else if (typeof value === 'number') [how, parent[key]] = ['number moved by one', choice % 2 === 0 ? value + 1 : value - 1];
  else if (typeof value === 'boolean') [how, parent[key]] = ['flipped', !value];
  else if (value === null) [how, parent[key]] = ['null given a value', pool.find((s) => /^[0-9a-f]{40}$/.test(s)) ?? 'x'];
  else if (Array.isArray(value)) {
    if (value.length === 0) [how, parent[key]] = ['an item added', [pool[choice % pool.length]]];
    else if (choice % 3 === 0) [how, parent[key]] = ['an item dropped', value.filter((_, i) => i !== choice % value.length)];
    else if (choice % 3 === 1) [how, parent[key]] = ['an item repeated', [...value, value[choice % value.length]]];
    else [how, parent[key]] = ['two items swapped', swapped(value, choice)];
  } else {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return undefined;
    const drop = keys[choice % keys.length]!;
    how = `key ${drop} removed`;
    delete (value as Record<string, unknown>)[drop];
  }
  const { id: _same, ...original } = plan as unknown as Record<string, unknown>;
  if (JSON.stringify(body) === JSON.stringify(original)) return undefined;
  return { path, how, body };
}

function flipCharacter(text: string, choice: number): string {
  const at = choice % text.length;
  const c = text[at]!;
  const next = /[0-9a-f]/.test(c) ? '0123456789abcdef'[('0123456789abcdef'.indexOf(c) + 1) % 16]! : c === 'z' ? 'a' : String.fromCharCode(c.charCodeAt(0) + 1);
  return `${text.slice(0, at)}${next}${text.slice(at + 1)}`;
}

function swapped<T>(items: readonly T[], choice: number): T[] {
  const copy = [...items];
  if (copy.length < 2) return copy.reverse();
  const i = choice % copy.length;
  const j = (i + 1) % copy.length;
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}
