import type { CompletedCommand } from './command-tree.js';
import { valuedOptions } from './shell-words.js';
import { shellWord } from '../../plan/shell-word.js';

/**
 * Shell functions of the command path `$1` that bash and zsh read alike: the command tree
 * as `case` statements, so the script needs nothing from hotfix to complete but `--env`.
 */
export function caseArms(commands: readonly CompletedCommand[], body: (command: CompletedCommand) => string | undefined): string {
  return commands.flatMap((c) => {
    const text = body(c);
    return text === undefined ? [] : [`    ${shellWord(c.at)}) ${text} ;;`];
  }).join('\n');
}

/** `_hotfix_value` and `_hotfix_positional`, the same in bash and zsh. */
export function valueFunctions(commands: readonly CompletedCommand[]): string {
  return `# What the value of option $2 of command path $1 is: file, environment, color or other; nothing for a flag.
_hotfix_value() {
  case $1 in
${caseArms(commands, (c) => {
    const valued = valuedOptions(c);
    return valued.length === 0 ? undefined : `case $2 in ${valued.map((v) => `${v.name}) echo ${v.value} ;;`).join(' ')} esac`;
  })}
  esac
}

# The positional argument of command path $1: files, or the words it may be.
_hotfix_positional() {
  case $1 in
${caseArms(commands, (c) => (c.positional === undefined ? undefined : `echo ${c.positional === 'files' ? 'files' : shellWord(c.positional.join(' '))}`))}
  esac
}`;
}
