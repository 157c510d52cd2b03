import type { Plan } from '../plan/types.js';
import type { HotfixContext } from './context.js';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** One place that turns a plan into the chosen format, for plan and show alike. */
export async function renderPlan(plan: Plan, format: PlanFormat, context: HotfixContext): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(plan, null, 2) + '\n';
    case 'markdown':
      return (await import('../render/plan-markdown.js')).renderPlanMarkdown(plan);
    default: {
      const [{ renderPlanText }, { styleFor }] = await Promise.all([import('../render/plan-text.js'), import('../render/style.js')]);
      return renderPlanText(plan, styleFor(context.stdout, context.env));
    }
  }
}
