import type { Plan } from '../../src/plan/types.js';
import { sealPlan } from '../../src/plan/plan-id.js';

/** A plan file hostile to `show` and `apply`, and the refusal it must get. */
export interface HostilePlan {
  readonly label: string;
  readonly content: string | Buffer;
  readonly expect: RegExp;
}

type Edit = (plan: Record<string, any>) => void;
const edited = (plan: Plan, edit: Edit) => {
  const copy = structuredClone(plan) as Record<string, any>;
  edit(copy);
  return copy;
};
/** The plan edited, its id left as it was: the body no longer hashes to it. */
const tampered = (plan: Plan, edit: Edit) => JSON.stringify(edited(plan, edit));
/** The plan edited and sealed again: intact by its id, hostile in what it says. */
export const resealed = (plan: Plan, edit: Edit) => {
  const { id: _id, ...body } = edited(plan, edit);
  return JSON.stringify(sealPlan(body as Plan));
};

/** Files that are no plan at all, or a plan broken in its form: refused before anything is read from a repository. */
export function brokenPlans(plan: Plan): HostilePlan[] {
  const text = JSON.stringify(plan);
  const deep = (open: string, close: string) => `${open.repeat(100_000)}${close.repeat(100_000)}`;
  return [
    { label: 'empty', content: '', expect: /\[HF400\]/ },
    { label: 'garbage', content: 'garbage', expect: /\[HF400\]/ },
    { label: 'truncated', content: text.slice(0, text.length / 2), expect: /\[HF400\]/ },
    { label: 'YAML', content: 'formatVersion: "1.0"\nactions: []\n', expect: /\[HF400\]/ },
    { label: 'with a byte order mark', content: `\ufeff${text}`, expect: /\[HF40[01]\]/ },
    { label: 'UTF-16', content: Buffer.from(text, 'utf16le'), expect: /\[HF400\]/ },
    { label: 'binary', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), expect: /\[HF400\]/ },
    { label: 'over 16 MiB', content: `${text}${' '.repeat(17 * 1024 * 1024)}`, expect: /too large.*\[HF400\]/ },
    { label: 'arrays nested 100,000 deep', content: deep('[', ']'), expect: /\[HF40[01]\]/ },
    { label: 'objects nested 100,000 deep', content: deep('{"a":', '}').replace(/\{"a":\}/, '{"a":1}'), expect: /\[HF40[01]\]/ },
    { label: 'null', content: 'null', expect: /\[HF401\]/ },
    { label: 'a list', content: '[]', expect: /\[HF401\]/ },
    { label: 'a number', content: '42', expect: /\[HF401\]/ },
    { label: 'a string', content: '"plan"', expect: /\[HF401\]/ },
    { label: 'an empty object', content: '{}', expect: /\[HF401\]/ },
    { label: 'format 3.0', content: tampered(plan, (p) => (p.formatVersion = '3.0')), expect: /\[HF403\]/ },
    { label: 'format as a number', content: tampered(plan, (p) => (p.formatVersion = 1)), expect: /\[HF401\]/ },
    { label: 'format 2.0.0-evil', content: tampered(plan, (p) => (p.formatVersion = '2.0.0-evil')), expect: /\[HF401\]/ },
    { label: 'actions not a list', content: tampered(plan, (p) => (p.actions = { 0: p.actions[0] })), expect: /\[HF401\]/ },
    { label: 'an action of an unknown kind', content: tampered(plan, (p) => (p.actions[0].kind = 'rm-rf')), expect: /\[HF401\]/ },
    { label: 'a commit id that is not one', content: tampered(plan, (p) => (p.actions[0].from = '--upload-pack=x')), expect: /\[HF401\]/ },
    { label: 'a precondition of the wrong type', content: tampered(plan, (p) => (p.preconditions[0].sha = 42)), expect: /\[HF401\]/ },
    { label: 'an id that is not a sha256', content: tampered(plan, (p) => (p.id = 'sha256:../../etc/passwd')), expect: /\[HF401\]/ },
    { label: 'a body changed after it was made', content: tampered(plan, (p) => (p.request.reason = 'changed')), expect: /\[HF402\]/ },
    { label: 'a branch changed after it was made', content: tampered(plan, (p) => (p.actions[0].branch = 'main')), expect: /\[HF402\]/ },
    { label: 'a megabyte reason added', content: tampered(plan, (p) => (p.request.reason = 'r'.repeat(1024 * 1024))), expect: /\[HF402\]/ },
    { label: '100,000 actions', content: tampered(plan, (p) => (p.actions = Array(100_000).fill(p.actions[0]))), expect: /\[HF40[12]\]/ },
    { label: '__proto__ at the root', content: text.replace('{', '{"__proto__":{"polluted":true},'), expect: /\[HF40[12]\]/ },
    { label: '__proto__ in an action', content: text.replace('"actions":[{', '"actions":[{"__proto__":{"kind":"push"},'), expect: /\[HF40[12]\]/ },
    { label: 'constructor.prototype at the root', content: text.replace('{', '{"constructor":{"prototype":{"polluted":true}},'), expect: /\[HF40[12]\]/ },
    // JSON.parse keeps the last of two equal keys.
    { label: 'a second id key', content: text.replace(/\}$/, `,"id":"sha256:${'0'.repeat(64)}"}`), expect: /\[HF402\]/ },
  ];
}
