import { Command, Option } from 'clipanion';
import type { HotfixContext } from './context.js';
import { reportFailure } from './report-failure.js';

/** Base of every command: `--debug`, and one place that turns failures into exit codes. */
export abstract class HotfixCommand extends Command<HotfixContext> {
  debug = Option.Boolean('--debug', false, { description: 'Print the stack trace of internal errors' });

  protected abstract run(): Promise<number>;

  /** The code of a file-system error that nothing closer named: apply's are HF4xx. */
  protected readonly fileErrorCode: 'HF224' | 'HF422' = 'HF224';

  async execute(): Promise<number> {
    try {
      return await this.run();
    } catch (error) {
      return reportFailure(error, this.context, { debug: this.debug, json: this.outputFormat() === 'json', markdown: this.outputFormat() === 'markdown', fileErrorCode: this.fileErrorCode });
    }
  }

  /**
   * The `--format` the command was asked for: with json or markdown a failure is a JSON
   * document or a PR comment too, so a caller reading stdout always gets that format. Read
   * by name, as each command declares its own `format` with its own choices.
   */
  private outputFormat(): unknown {
    return 'format' in this ? this.format : undefined;
  }
}
