import { Cli } from 'clipanion';
import { styleMark } from '../render/style.js';
import { COLOR_OPTION } from './color-choice.js';
import type { HotfixContext } from './context.js';
import { namedDefinition } from './value-names.js';

type Usage = ReturnType<Cli<HotfixContext>['definitions']>[number];
type UsageLine = { usage: string; options: Array<{ definition: string; description: string; required: boolean }> };

/**
 * clipanion, reading like the tools people know: values named (`--policy FILE`, not
 * `--policy #0`), required options in the usage line and marked in the option list, the
 * others folded into `[options]`, and `--color`, which every command takes, listed with
 * each. Its colours become style marks, not escape sequences, so that they survive
 * TerminalOutput, which makes every raw escape visible.
 */
export class HotfixCli extends Cli<HotfixContext> {
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

  protected override getUsageByIndex(n: number, opts?: { detailed?: boolean; inlineOptions?: boolean }): UsageLine {
    if (opts?.detailed === false) return super.getUsageByIndex(n, opts);
    const path = super.getUsageByIndex(n, { detailed: false }).usage;
    // Every option of ours has a description, so none is inlined: the usage is the path and the positionals.
    const full = super.getUsageByIndex(n, { detailed: true, inlineOptions: false });
    const options = full.options.map((o) => ({ ...o, definition: namedDefinition(o.definition), description: o.required ? `${o.description} (required)` : o.description }));
    const required = options.filter((o) => o.required).map((o) => o.definition);
    const usage = [path, ...required, '[options]', full.usage.slice(path.length).trim()].filter((part) => part !== '').join(' ');
    return { usage, options: opts?.inlineOptions === false ? [...options, { ...COLOR_OPTION }] : [] };
  }

  /** The full list ends with the option every command takes. */
  override usage(command?: Parameters<Cli<HotfixContext>['usage']>[0], opts?: Parameters<Cli<HotfixContext>['usage']>[1]): string {
    const text = super.usage(command, opts);
    if (command) return text;
    const format = this.format(opts?.colored);
    return `${text}\n${format.header('Every command takes')}\n\n  ${format.bold(COLOR_OPTION.definition)}    ${COLOR_OPTION.description}\n`;
  }

  /** The commands whose path starts with these words (`plan` → plan hotfix, plan rollback). */
  commandsUnder(words: readonly string[]): Usage[] {
    const prefix = ['hotfix', ...words].join(' ') + ' ';
    return this.definitions().filter((d) => d.path.startsWith(prefix));
  }

  /** `hotfix plan --help`: the group's commands, as the full list shows them. */
  groupUsage(words: readonly string[], colored: boolean): string {
    const format = this.format(colored);
    const name = ['hotfix', ...words].join(' ');
    const commands = this.commandsUnder(words).sort((a, b) => a.path.localeCompare(b.path));
    const lines = commands.flatMap((c) => ['', `  ${format.bold(c.usage)}`, `    ${(c.description ?? '').trim()}`]);
    return [`${format.header('Usage')}`, '', `  ${format.bold('$ ')}${name} <command>`, '', format.header('Commands'), ...lines, '', `Run "${name} <command> --help" for a command's options.`, ''].join('\n');
  }
}
