import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';
import { planId } from '../plan/plan-id.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';
import { controlCharacterProblem } from '../plan/control-characters.js';
import { planContradictions } from './plan-consistency.js';
import validate from './generated/validate-plan.cjs';

/** Plans are small; a larger file is not one of ours. */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** Reads a saved plan and proves it intact: JSON, a version we speak, the schema, printable text, the id. */
export async function readPlanFile(path: string, cwd: string): Promise<Plan> {
  const file = resolve(cwd, path);
  const unreadable = (e: NodeJS.ErrnoException) => fail('HF400', `cannot read plan ${path}: ${fsErrorWords(e)}`);
  // A FIFO or a device would hang or never end: only a regular file of a plan's size is read.
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw unreadable(e);
  });
  if (!info.isFile()) throw fail('HF400', `${path} is not a regular file`);
  if (info.size > MAX_PLAN_BYTES) throw fail('HF400', `${path} is ${info.size} bytes, too large to be a plan`);
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw unreadable(e);
  });
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw fail('HF400', `${path} is not JSON: ${(error as Error).message}`);
  }
  return verifyPlan(data, path);
}

/** Pure checks of plan data, in the order that gives the most useful message. */
export function verifyPlan(data: unknown, name: string): Plan {
  const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
  const major = typeof version === 'string' ? version.split('.')[0] : undefined;
  if (major !== undefined && major !== PLAN_FORMAT_VERSION.split('.')[0])
    throw fail('HF403', `${name} has plan format ${String(version)}; this hotfix reads ${PLAN_FORMAT_VERSION.split('.')[0]}.x`);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw fail('HF401', `${name} is not a valid plan: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}`);
  }
  const control = controlCharacterProblem(data);
  if (control) throw fail('HF401', `${name} is not a valid plan: ${control}, which could rewrite the terminal it is shown on`);
  const plan = data as Plan;
  const expected = planId(plan, plan.id);
  if (plan.id !== expected) throw fail('HF402', `${name} was changed after it was made: its body hashes to ${expected.slice(0, 19)}…, not to its id ${plan.id.slice(0, 19)}…`);
  // A re-sealed plan is intact by its id; it must also agree with itself.
  const contradictions = planContradictions(plan);
  if (contradictions.length > 0) throw new HotfixError(contradictions);
  return plan;
}

function fail(code: 'HF400' | 'HF401' | 'HF402' | 'HF403', message: string): HotfixError {
  return new HotfixError([diagnostic(code, message)]);
}
