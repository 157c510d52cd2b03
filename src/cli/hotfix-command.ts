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
      return reportFailure(error, this.context, { debug: this.debug, json: this.jsonOutput() });
    }
  }

  /**
   * Whether the command was asked for `--format json`: then a failure is a JSON document
   * too, so a caller reading stdout always gets JSON. Read by name, as each command
   * declares its own `format` with its own choices.
   */
  private jsonOutput(): boolean {
    return 'format' in this && this.format === 'json';
  }
}
