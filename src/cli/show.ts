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
    details: 'Reads a plan written by `hotfix plan … --out FILE`, checks it is intact (schema and id), and prints it. Where an apply of it made a commit again on a branch that had moved (the plan stays sealed), or passed its gate on a check a person attested with `apply --check`, or was approved on its pull request (`apply --pr`: who approved, which the commits cannot carry since their ids are fixed by the plan), the journal of that apply says so and show prints it after the plan (text and markdown).',
    examples: [['Post a saved plan as a PR comment', '$0 show plan.json --format markdown']],
  });

  format = Option.String('--format', 'text', { description: `Output format: ${PLAN_FORMATS.join(', ')}`, validator: t.isEnum(PLAN_FORMATS) });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    const { readPlanFile } = await import('../apply/read-plan.js');
    const plan = await readPlanFile(this.file, this.context.cwd);
    this.context.stdout.write(await renderPlan(plan, this.format, this.context));
    // The plan is sealed; what apply made otherwise (a commit made again on a moved branch) is in its journal.
    const notes = this.format === 'json' ? undefined : await import('../apply/applied-notes.js');
    const applied = notes ? [...(await notes.gateTagNotes(plan, this.context.cwd)), ...(await notes.rederivedNotes(plan, this.context.cwd)), ...(await notes.attestedNotes(plan, this.context.cwd)), ...(await notes.approvedNotes(plan, this.context.cwd))] : [];
    if (applied.length > 0) {
      const { codeBlock } = await import('../render/markdown-literal.js');
      const lines = applied.map((line) => `${line}\n`).join('');
      this.context.stdout.write(this.format === 'markdown' ? ['', '#### Applied', '', ...codeBlock(lines, 'text'), ''].join('\n') : `\nApplied, from the journal of this plan:\n${applied.map((line) => `  ${line}\n`).join('')}`);
    }
    return EXIT.ok;
  }
}
