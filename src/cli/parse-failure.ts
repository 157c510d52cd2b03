import type { Cli } from 'clipanion';
import { didYouMean } from '../policy/did-you-mean.js';
import type { HotfixContext } from './context.js';
import { quote } from './plan/option-values.js';
import { EXIT, firstLine } from './report-failure.js';

interface Candidate {
  readonly usage: string;
  readonly reason: string | null;
}

/**
 * Parse errors (unknown command or option, bad option value, a missing argument) are usage
 * errors, in one line that names what would be right: clipanion's candidates
 * (`hotfix plan` → its two commands) by their names, the option meant, the argument missing.
 */
export function parseFailure(error: unknown, argv: readonly string[], cli: Cli<HotfixContext>, context: HotfixContext): number {
  const candidates = (error as { candidates?: Candidate[] }).candidates ?? [];
  const missing = missingRequiredOptions(candidates, argv);
  if (missing) return usageError(context, `the required option${missing.options.length > 1 ? 's' : ''} ${missing.options.join(', ')} ${missing.options.length > 1 ? 'are' : 'is'} missing`, `${missing.command} --help`);
  const names = [...new Set(candidates.map(({ usage }) => commandOf(usage)).filter((n) => n !== undefined))];
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const help = names.length === 1 ? names[0] : commandNamedBy(cli, argv);
  return usageError(context, plainWords(message, names, help, cli, argv), `${help ?? 'hotfix'} --help`);
}

/** clipanion's first line, or what it means in the words of the command line. */
function plainWords(message: string, names: readonly string[], help: string | undefined, cli: Cli<HotfixContext>, argv: readonly string[]): string {
  const unknown = /^Unsupported option name \("(.*)"\)\.$/.exec(message)?.[1];
  if (unknown !== undefined) {
    // Before a command, only the command line's own options are meant.
    const options = help === undefined ? ['--help', '--version'] : cli.definitions().filter((d) => d.path === help).flatMap((d) => d.options.flatMap((o) => o.definition.split(' ')[0]!.split(',')));
    return `unknown option ${quote(unknown)}${help !== undefined ? ` for ${help}` : ''}${didYouMean(unknown, [...new Set(options)])}`;
  }
  if (message === 'Not enough positional arguments.' && help !== undefined) {
    const usage = cli.definitions().find((d) => d.path === help)?.usage ?? '';
    const positionals = usage.match(/<[^-][^>]*>/g) ?? [];
    if (positionals.length > 0) return `${help} needs ${positionals.join(' ')}`;
  }
  return message.endsWith(':') && names.length > 0 ? `${message} ${names.join(', ')}` : message;
}

/** The command the command line names (a bad option value has no candidates to tell it). */
function commandNamedBy(cli: Cli<HotfixContext>, argv: readonly string[]): string | undefined {
  return cli.definitions().map(({ path }) => path).find((path) => namesCommand(argv, path));
}

/** Whether the command line starts with the command's words (`hotfix plan rollback` → plan, rollback). */
function namesCommand(argv: readonly string[], command: string): boolean {
  return command.split(' ').slice(1).every((word, i) => argv[i] === word);
}

export function usageError(context: HotfixContext, line: string, help: string): number {
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
 * candidates' usage lines are clipanion's own, which show required options as `<--policy #0>`.
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
