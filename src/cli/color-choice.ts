import { UsageError } from 'clipanion';
import { didYouMean } from '../policy/did-you-mean.js';
import { quote } from './plan/option-values.js';

export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];

export const COLOR_OPTION = {
  definition: '--color WHEN',
  description: `Colour: ${COLOR_CHOICES.join(', ')} (default auto: on a terminal, unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it)`,
  required: false,
} as const;

/**
 * `--color WHEN` (or `--color=WHEN`) taken out of the command line wherever it is before a
 * `--`: it belongs to every command, and to what is printed before a command is known (the
 * help, a usage error).
 */
export function takeColorOption(argv: readonly string[]): { choice: ColorChoice | undefined; rest: string[] } {
  const rest: string[] = [];
  let choice: ColorChoice | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg !== '--color' && !arg.startsWith('--color=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--color' ? argv[++i] : arg.slice('--color='.length);
    if (value === undefined) throw new UsageError(`--color needs a value: ${COLOR_CHOICES.join(', ')}`);
    if (!(COLOR_CHOICES as readonly string[]).includes(value)) throw new UsageError(`--color takes ${COLOR_CHOICES.join(', ')}, not ${quote(value)}${didYouMean(value, COLOR_CHOICES)}`);
    choice = value as ColorChoice;
  }
  return { choice, rest };
}

/**
 * Whether output to one stream is coloured. The command line wins, then the environment as
 * Node reads it (FORCE_COLOR 1, 2, 3, true or empty forces colour over NO_COLOR, any other
 * value turns it off; no-color.org: NO_COLOR set and not empty turns it off), then whether
 * the stream is a terminal that is not dumb.
 */
export function colorsOn(choice: ColorChoice | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (choice !== undefined && choice !== 'auto') return choice === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}
