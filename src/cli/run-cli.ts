import { Builtins, Cli, Command, type CommandClass } from 'clipanion';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';
import { diagnosticLine } from '../render/diagnostics-text.js';
import { styleFor, styleMark } from '../render/style.js';
import { VERSION } from '../version.js';
import type { HotfixContext } from './context.js';
import { endGitOnSignals } from './end-git-on-signals.js';
import { EXIT, firstLine } from './report-failure.js';
import { TerminalOutput } from './terminal-output.js';

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
  comment: async () => [(await import('./comment.js')).CommentCommand],
  apply: async () => [(await import('./apply.js')).ApplyCommand],
  status: async () => [(await import('./status.js')).StatusCommand],
  check: async () => [(await import('./check/release.js')).CheckReleaseCommand],
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

/**
 * clipanion's colours as style marks, not escape sequences, so that they survive
 * TerminalOutput, which makes every raw escape visible.
 */
class HotfixCli extends Cli<HotfixContext> {
  override format(colored?: boolean): ReturnType<Cli<HotfixContext>['format']> {
    const format = super.format(colored);
    if (format === super.format(false)) return format;
    const marked = (styled: (text: string) => string) => (text: string) => styled(text).replace(/\u001b\[([0-9;]*)m/g, (_, sgr: string) => styleMark(sgr));
    // Applied to the styled text of an empty string, so an escape inside the text itself (an option a user typed) is no style.
    const around = (styled: (text: string) => string) => {
      const [open, close] = marked(styled)('\0').split('\0') as [string, string];
      return (text: string) => `${open}${text}${close}`;
    };
    // Headers are hotfix's own words (Usage, Options, the version), never what a user typed.
    return { header: marked(format.header), bold: around(format.bold), error: around(format.error), code: around(format.code) };
  }
}

export async function buildCli(context: HotfixContext, first?: string): Promise<Cli<HotfixContext>> {
  const enableColors = Boolean((context.stdout as { isTTY?: boolean }).isTTY) && !context.env.NO_COLOR;
  const cli = new HotfixCli({ binaryLabel: 'hotfix', binaryName: 'hotfix', binaryVersion: VERSION, enableColors });
  for (const command of [Builtins.HelpCommand, Builtins.VersionCommand, NoCommand, ...(await commandsFor(first))]) cli.register(command);
  return cli;
}

export async function main(argv: readonly string[], context: HotfixContext): Promise<number> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !Object.hasOwn(GROUPS, first)) {
    const { quote } = await import('./plan/option-values.js');
    return usageError(context, `unknown command ${quote(first)}; the commands are ${Object.keys(GROUPS).join(', ')}`, 'hotfix --help');
  }
  const cli = await buildCli(context, first);
  let args = [...argv];
  let command;
  for (;;) {
    try {
      command = cli.process(args, context);
      break;
    } catch (error) {
      const joined = joinDashValue(args, error);
      if (joined) args = joined;
      else return parseFailure(error, args, cli, context);
    }
  }
  return cli.run(command, context);
}

interface Candidate {
  readonly usage: string;
  readonly reason: string | null;
}

/**
 * Parse errors (unknown command or option, bad option value) are usage errors, in one
 * line: clipanion's candidates (`hotfix plan` → its two commands) by their names.
 */
function parseFailure(error: unknown, argv: readonly string[], cli: Cli<HotfixContext>, context: HotfixContext): number {
  const candidates = (error as { candidates?: Candidate[] }).candidates ?? [];
  const missing = missingRequiredOptions(candidates, argv);
  if (missing) return usageError(context, `the required option${missing.options.length > 1 ? 's' : ''} ${missing.options.join(', ')} ${missing.options.length > 1 ? 'are' : 'is'} missing`, `${missing.command} --help`);
  const names = [...new Set(candidates.map(({ usage }) => commandOf(usage)).filter((n) => n !== undefined))];
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const line = message.endsWith(':') && names.length > 0 ? `${message} ${names.join(', ')}` : message;
  const help = names.length === 1 ? names[0] : names.length === 0 ? commandNamedBy(cli, argv) : undefined;
  return usageError(context, line, `${help ?? 'hotfix'} --help`);
}

/** The command the command line names (a bad option value has no candidates to tell it). */
function commandNamedBy(cli: Cli<HotfixContext>, argv: readonly string[]): string | undefined {
  return cli.definitions().map(({ path }) => path).find((path) => namesCommand(argv, path));
}

/** Whether the command line starts with the command's words (`hotfix plan rollback` → plan, rollback). */
function namesCommand(argv: readonly string[], command: string): boolean {
  return command.split(' ').slice(1).every((word, i) => argv[i] === word);
}

function usageError(context: HotfixContext, line: string, help: string): number {
  context.stderr.write(`hotfix: ${line}\nRun "${help}" for usage.\n`);
  return EXIT.usage;
}

/** `hotfix plan rollback` out of a candidate's usage line. */
function commandOf(usage: string): string | undefined {
  return /^hotfix(?: [a-z][\w-]*)+/.exec(usage)?.[0];
}

/**
 * A command named in full whose required options are not all given: clipanion does not
 * match it at all then, and says "Command not found; did you mean: hotfix status". Its
 * usage line shows the required options as `<--policy #0>`.
 */
function missingRequiredOptions(candidates: readonly Candidate[], argv: readonly string[]): { command: string; options: string[] } | undefined {
  const given = new Set(argv.map((arg) => arg.split('=')[0]));
  for (const { usage, reason } of candidates) {
    const command = commandOf(usage);
    if (reason !== null || command === undefined) continue;
    if (!namesCommand(argv, command)) continue;
    const required = [...usage.matchAll(/<(-[^ >]+) #\d+>/g)].map((m) => m[1]!.split(','));
    const options = required.filter((names) => !names.some((name) => given.has(name))).map((names) => names.at(-1)!);
    if (options.length > 0) return { command, options };
  }
  return undefined;
}

/**
 * clipanion takes a value that starts with "-" (`--max-warnings -1`, `--wait -5s`) for an
 * option, and then finds the option before it without a value. Joined (`--wait=-5s`), the
 * value reaches the option's own check, whose message names it and what is allowed. Only
 * after a failed parse, so no command line that parses changes meaning, and never with a
 * long option (`--policy --env x` is a forgotten value).
 */
function joinDashValue(argv: readonly string[], error: unknown): string[] | undefined {
  const option = /^Not enough arguments to option (\S+)\.$/.exec(firstLine(error instanceof Error ? error.message : ''))?.[1];
  const at = option === undefined ? -1 : argv.findIndex((arg, i) => arg === option && /^-[^-]/.test(argv[i + 1] ?? ''));
  if (at < 0) return undefined;
  return [...argv.slice(0, at), `${option}=${argv[at + 1]}`, ...argv.slice(at + 2)];
}

/**
 * The full command line: clipanion and the command classes it needs, writing through
 * TerminalOutput. Output that could not be written (a full disk, not a reader that left)
 * fails the command, so `hotfix plan --format json > plan.json` never exits 0 with half a plan.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  endGitOnSignals();
  const stdout = new TerminalOutput(process.stdout);
  const stderr = new TerminalOutput(process.stderr);
  const code = await main(argv, { ...Cli.defaultContext, stdout, stderr, cwd: process.cwd(), env: process.env });
  await Promise.all([stdout.settled(), stderr.settled()]);
  const failure = stdout.failure ?? stderr.failure;
  if (!failure) return code;
  const which = stdout.failure ? 'standard output' : 'standard error';
  stderr.write(`${diagnosticLine(diagnostic('HF223', `the output could not be written to ${which}: ${fsErrorWords(failure)}; what was written is incomplete`), styleFor(stderr, process.env))}\n`);
  return code === EXIT.ok || code === EXIT.changes ? EXIT.failure : code;
}
