import type { CompletedCommand, CompletedOption } from './command-tree.js';

/** The options of a command that take a value, with what each value is. */
export function valuedOptions(command: CompletedCommand): Array<{ readonly name: string; readonly value: NonNullable<CompletedOption['value']> }> {
  return command.options.flatMap((o) => (o.value === undefined ? [] : o.names.map((name) => ({ name, value: o.value! }))));
}

/** Every option name of a command, short and long. */
export function optionNames(command: CompletedCommand): string[] {
  return command.options.flatMap((o) => o.names);
}

/** How the scripts ask hotfix for the environments a policy declares: fast, reads nothing else. */
export const LIST_ENVS = 'completion --list-envs';
