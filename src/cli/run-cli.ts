import { Builtins, Cli, Command } from 'clipanion';
import { VERSION } from '../version.js';
import type { HotfixContext } from './context.js';
import { ApplyCommand } from './apply.js';
import { LintCommand } from './lint.js';
import { PlanHotfixCommand } from './plan/hotfix.js';
import { PlanRollbackCommand } from './plan/rollback.js';
import { ShowCommand } from './show.js';
import { StatusCommand } from './status.js';
import { EXIT, firstLine } from './report-failure.js';

/** `hotfix` alone: the command list, as a usage error. */
class NoCommand extends Command<HotfixContext> {
  async execute(): Promise<number> {
    this.context.stderr.write(this.cli.usage(null));
    return EXIT.usage;
  }
}

export function buildCli(context: HotfixContext): Cli<HotfixContext> {
  const enableColors = Boolean((context.stdout as { isTTY?: boolean }).isTTY) && !context.env.NO_COLOR;
  const cli = new Cli<HotfixContext>({ binaryLabel: 'hotfix', binaryName: 'hotfix', binaryVersion: VERSION, enableColors });
  for (const command of [Builtins.HelpCommand, Builtins.VersionCommand, NoCommand, LintCommand, PlanRollbackCommand, PlanHotfixCommand, ShowCommand, ApplyCommand, StatusCommand]) cli.register(command);
  return cli;
}

export async function main(argv: readonly string[], context: HotfixContext): Promise<number> {
  const cli = buildCli(context);
  let command;
  try {
    command = cli.process([...argv], context);
  } catch (error) {
    // Parse errors (unknown command or option, bad option value) are usage errors.
    context.stderr.write(`hotfix: ${firstLine(error instanceof Error ? error.message : String(error))}\nRun "hotfix --help" for usage.\n`);
    return EXIT.usage;
  }
  return cli.run(command, context);
}

/** The full command line: clipanion and every command class. */
export async function runCli(argv: readonly string[]): Promise<number> {
  return main(argv, { ...Cli.defaultContext, cwd: process.cwd(), env: process.env });
}
