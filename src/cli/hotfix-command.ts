import { Command, Option } from 'clipanion';
import type { HotfixContext } from './context.js';
import { reportFailure } from './report-failure.js';

/** Base of every command: `--debug`, and one place that turns failures into exit codes. */
export abstract class HotfixCommand extends Command<HotfixContext> {
  debug = Option.Boolean('--debug', false, { description: 'Print the stack trace of internal errors' });

  protected abstract run(): Promise<number>;

  async execute(): Promise<number> {
    try {
      return await this.run();
    } catch (error) {
      return reportFailure(error, this.context, this.debug);
    }
  }
}
