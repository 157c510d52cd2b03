/**
 * What each option's value is, as usage lines show it (`--policy FILE`, not clipanion's
 * `--policy #0`) and as completion completes it. One meaning per option name across every
 * command, like the rest of the command line; a new option with a value gets its entry here
 * (a test lists every option that lacks one).
 */
export type ValueKind = 'file' | 'environment' | 'color' | 'other';

export const VALUE_NAMES: Readonly<Record<string, { readonly name: string; readonly kind: ValueKind }>> = {
  '--policy': { name: 'FILE', kind: 'file' },
  '--env': { name: 'NAME', kind: 'environment' },
  '--repo': { name: 'NAME=PATH', kind: 'other' },
  '--cluster-state': { name: 'FILE', kind: 'file' },
  '--out': { name: 'FILE', kind: 'file' },
  '--docker-config': { name: 'FILE', kind: 'file' },
  '--format': { name: 'FORMAT', kind: 'other' },
  '--override': { name: 'CODE', kind: 'other' },
  '--to': { name: 'TAG|IMAGE|COMMIT', kind: 'other' },
  '--reason': { name: 'TEXT', kind: 'other' },
  '--pick': { name: 'COMMIT', kind: 'other' },
  '--version': { name: 'VERSION', kind: 'other' },
  '--deployed': { name: 'IMAGE', kind: 'other' },
  '--image': { name: 'IMAGE', kind: 'other' },
  '--check': { name: 'NAME', kind: 'other' },
  '--wait': { name: 'DURATION', kind: 'other' },
  '--wait-lock': { name: 'DURATION', kind: 'other' },
  '--max-warnings': { name: 'N', kind: 'other' },
  '--expect-id': { name: 'ID', kind: 'other' },
  '--pr': { name: 'OWNER/REPO#N|GROUP/PROJECT!N', kind: 'other' },
  '--commenter': { name: 'LOGIN', kind: 'other' },
  '--token-env': { name: 'VARIABLE', kind: 'other' },
  '--api-url': { name: 'URL', kind: 'other' },
  '--forge-url': { name: 'URL', kind: 'other' },
  '--forge-repo': { name: 'NAME=OWNER/REPO', kind: 'other' },
  '--kind': { name: 'KIND', kind: 'other' },
  '--policy-name': { name: 'NAME', kind: 'other' },
  '--color': { name: 'WHEN', kind: 'color' },
};

/** What an option without an entry shows: never clipanion's `#0`. */
const UNNAMED = { name: 'VALUE', kind: 'other' } as const;

export function valueOf(option: string): { readonly name: string; readonly kind: ValueKind } {
  return Object.hasOwn(VALUE_NAMES, option) ? VALUE_NAMES[option]! : UNNAMED;
}

/** `--policy #0` → `--policy FILE`; `-h,--help` stays as it is. */
export function namedDefinition(definition: string): string {
  const names = definition.split(' ')[0]!;
  return definition.replace(/ #\d+/g, ` ${valueOf(names.split(',').at(-1)!).name}`);
}
