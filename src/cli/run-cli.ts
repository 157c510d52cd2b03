import { Builtins, Cli, Command, type CommandClass } from 'clipanion';
import { VERSION } from '../version.js';
import type { HotfixContext } from './context.js';
import { EXIT, firstLine } from './report-failure.js';

type HotfixCommandClass = CommandClass<HotfixContext>;

/**
 * The command groups by their first word, each loaded when asked for: clipanion builds its
 * parser from every command it is given, so `hotfix lint` need not load or parse for
 * `apply`. Anything else (`hotfix`, `--help`, a typo) gets them all, for the full list.
 */
const GROUPS: Readonly<Record<string, () => Promise<HotfixCommandClass[]>>> = {
  lint: async () => [(await import('./lint.js')).LintCommand],
  plan: async () => {
    const [rollback, hotfix] = await Promise.all([import('./plan/rollback.js'), import('./plan/hotfix.js')]);
    return [rollback.PlanRollbackCommand, hotfix.PlanHotfixCommand];
  },
  show: async () => [(await import('./show.js')).ShowCommand],
  apply: async () => [(await import('./apply.js')).ApplyCommand],
  status: async () => [(await import('./status.js')).StatusCommand],
};

async function commandsFor(first: string | undefined): Promise<HotfixCommandClass[]> {
  const groups = first !== undefined && Object.hasOwn(GROUPS, first) ? [GROUPS[first]!] : Object.values(GROUPS);
  return (await Promise.all(groups.map((load) => load()))).flat();
}

/** `hotfix` alone: the command list, as a usage error. */
class NoCommand extends Command<HotfixContext> {
  async execute(): Promise<number> {
    this.context.stderr.write(this.cli.usage(null));
    return EXIT.usage;
  }
}

export async function buildCli(context: HotfixContext, first?: string): Promise<Cli<HotfixContext>> {
  const enableColors = Boolean((context.stdout as { isTTY?: boolean }).isTTY) && !context.env.NO_COLOR;
  const cli = new Cli<HotfixContext>({ binaryLabel: 'hotfix', binaryName: 'hotfix', binaryVersion: VERSION, enableColors });
  for (const command of [Builtins.HelpCommand, Builtins.VersionCommand, NoCommand, ...(await commandsFor(first))]) cli.register(command);
  return cli;
}

export async function main(argv: readonly string[], context: HotfixContext): Promise<number> {
  const cli = await buildCli(context, argv[0]);
  let command;
  try {
    command = cli.process([...argv], context);
  } catch (error) {
    // Parse errors (unknown command or option, bad option value) are usage errors, in one
    // line: clipanion's candidates (`hotfix plan` → its two commands) by their names.
    const candidates = (error as { candidates?: Array<{ usage: string }> }).candidates ?? [];
    const names = [...new Set(candidates.map(({ usage }) => /^hotfix(?: [a-z][\w-]*)+/.exec(usage)?.[0]).filter((n) => n !== undefined))];
    const message = firstLine(error instanceof Error ? error.message : String(error));
    const line = message.endsWith(':') && names.length > 0 ? `${message} ${names.join(', ')}` : message;
    const help = names.length === 1 ? `${names[0]} --help` : 'hotfix --help';
    context.stderr.write(`hotfix: ${line}\nRun "${help}" for usage.\n`);
    return EXIT.usage;
  }
  return cli.run(command, context);
}

/** The full command line: clipanion and the command classes it needs. */
export async function runCli(argv: readonly string[]): Promise<number> {
  return main(argv, { ...Cli.defaultContext, cwd: process.cwd(), env: process.env });
}
