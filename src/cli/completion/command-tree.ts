import type { Cli } from 'clipanion';
import { COLOR_OPTION } from '../color-choice.js';
import type { HotfixContext } from '../context.js';
import { valueOf, type ValueKind } from '../value-names.js';

export interface CompletedOption {
  readonly names: readonly string[];
  readonly description: string;
  /** What its value is, if it takes one. */
  readonly value?: ValueKind;
}

export interface CompletedCommand {
  /** The words after `hotfix`: `plan rollback`, empty for the top level, `plan` for a group. */
  readonly at: string;
  /** The words that can come next (a group's commands), with what each does. */
  readonly words: ReadonlyArray<{ readonly word: string; readonly description: string }>;
  readonly options: readonly CompletedOption[];
  /** Its positional argument: files, or a choice of words (`<bash|zsh|fish>`). */
  readonly positional?: 'files' | readonly string[];
}

/** The option every command takes, and `--help`. */
const EVERYWHERE: readonly CompletedOption[] = [
  { names: ['--color'], description: 'auto, always or never', value: 'color' },
  { names: ['-h', '--help'], description: 'Show the usage' },
];


/**
 * What a completion script completes, from clipanion's own command definitions (as the help
 * shows them, values named): every command's options and positional argument, each level's
 * next words, and `help`/`version`, which the command line takes as `--help`/`--version`.
 */
export function commandTree(cli: Cli<HotfixContext>): CompletedCommand[] {
  const definitions = cli.definitions().map((d) => ({ ...d, words: d.path.split(' ').slice(1) }));
  const levels = new Map<string, Map<string, string>>([['', new Map()]]);
  for (const d of definitions) {
    for (let depth = 0; depth < d.words.length; depth++) {
      const at = d.words.slice(0, depth).join(' ');
      const next = d.words[depth]!;
      if (!levels.has(at)) levels.set(at, new Map());
      const described = depth === d.words.length - 1 ? (d.description ?? '').trim() : `${next} commands`;
      if (!levels.get(at)!.has(next) || depth === d.words.length - 1) levels.get(at)!.set(next, described);
    }
  }
  levels.get('')!.set('help', 'Show the usage of a command').set('version', 'Print the version');
  const commands = definitions.map((d): CompletedCommand => {
    const at = d.words.join(' ');
    const options = d.options.filter((o) => o.definition !== COLOR_OPTION.definition).map((o): CompletedOption => {
      const [names, value] = o.definition.split(' ') as [string, string | undefined];
      const list = names.split(',');
      return { names: list, description: firstSentence(o.description ?? ''), ...(value !== undefined ? { value: valueOf(list.at(-1)!).kind } : {}) };
    });
    const positional = positionalOf(d.usage);
    return { at, words: [...(levels.get(at) ?? new Map<string, string>())].map(([word, description]) => ({ word, description })), options: [...options, ...EVERYWHERE], ...(positional ? { positional } : {}) };
  });
  const groups = [...levels].filter(([at]) => !commands.some((c) => c.at === at)).map(([at, words]): CompletedCommand => ({
    at,
    words: [...words].map(([word, description]) => ({ word, description })),
    options: at === '' ? [...EVERYWHERE, { names: ['--version'], description: 'Print the version' }] : EVERYWHERE,
  }));
  return [...groups, ...commands];
}

/** `hotfix apply [options] <plan.json>` → files; `[bash|zsh|fish]` → those words. */
function positionalOf(usage: string): CompletedCommand['positional'] {
  const after = usage.slice(usage.indexOf('[options]') + '[options]'.length).trim();
  if (after === '') return undefined;
  const choice = /^[<[]([\w-]+(?:\|[\w-]+)+)[>\]]$/.exec(after)?.[1];
  return choice !== undefined ? choice.split('|') : 'files';
}

function firstSentence(text: string): string {
  return text.split(/(?<=\.) |\n/)[0]!.replace(/\s+/g, ' ').trim();
}
