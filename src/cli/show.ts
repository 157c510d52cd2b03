import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { HotfixCommand } from './hotfix-command.js';
import { PLAN_FORMATS, renderPlan } from './render-plan.js';
import { EXIT } from './report-failure.js';

export class ShowCommand extends HotfixCommand {
  static override paths = [['show']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'render a saved plan',
    details: 'Reads a plan written by `hotfix plan … --out FILE`, checks it is intact (schema and id), and prints it.',
    examples: [['Post a saved plan as a PR comment', '$0 show plan.json --format markdown']],
  });

  format = Option.String('--format', 'text', { description: `Output format: ${PLAN_FORMATS.join(', ')}`, validator: t.isEnum(PLAN_FORMATS) });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    const { readPlanFile } = await import('../apply/read-plan.js');
    const plan = await readPlanFile(this.file, this.context.cwd);
    this.context.stdout.write(await renderPlan(plan, this.format, this.context));
    return EXIT.ok;
  }
}
