import { Command, Option, UsageError } from 'clipanion';
import { HotfixCommand } from './hotfix-command.js';
import { EXIT } from './report-failure.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** A name as the schema allows one (environmentName): nothing else reaches a shell's completion list. */
const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class CompletionCommand extends HotfixCommand {
  static override paths = [['completion']];

  static override usage = Command.Usage({
    description: 'print a shell completion script',
    details: `
      Prints a completion script for bash, zsh or fish, generated from hotfix's own command definitions: it completes commands, options, file names where an option takes a file, and \`--env\` with the environments the policy given by \`--policy\` declares (read by hotfix itself, which reads only that file).
    `,
    examples: [
      ['bash, in this shell', 'source <($0 completion bash)'],
      ['bash, for every shell', '$0 completion bash > ~/.local/share/bash-completion/completions/hotfix'],
      ['zsh (after compinit)', 'source <($0 completion zsh)'],
      ['fish', '$0 completion fish > ~/.config/fish/completions/hotfix.fish'],
    ],
  });

  shell = Option.String({ name: SHELLS.join('|'), required: false });
  /** The scripts' helper for `--env`: the environment names a policy file declares, one a line. */
  listEnvs = Option.String('--list-envs', { hidden: true });

  protected async run(): Promise<number> {
    if (this.listEnvs !== undefined) {
      this.context.stdout.write((await this.environments(this.listEnvs)).map((name) => `${name}\n`).join(''));
      return EXIT.ok;
    }
    if (this.shell === undefined) throw new UsageError(`completion needs a shell: ${SHELLS.join(', ')}`);
    if (!(SHELLS as readonly string[]).includes(this.shell)) {
      const [{ quote }, { didYouMean }] = await Promise.all([import('./plan/option-values.js'), import('../policy/did-you-mean.js')]);
      throw new UsageError(`completion knows ${SHELLS.join(', ')}, not ${quote(this.shell)}${didYouMean(this.shell, SHELLS)}`);
    }
    const [{ buildCli }, { commandTree }] = await Promise.all([import('./run-cli.js'), import('./completion/command-tree.js')]);
    const tree = commandTree(await buildCli(this.context));
    this.context.stdout.write(await script(this.shell as Shell, tree));
    return EXIT.ok;
  }

  /** Without validating the policy (a policy being edited still names its environments). */
  private async environments(file: string): Promise<string[]> {
    const [{ readPolicyFile }, { parseDocuments }, { HotfixError }] = await Promise.all([
      import('../policy/read-policy-files.js'),
      import('../policy/parse-documents.js'),
      import('../diagnostics/errors.js'),
    ]);
    const source = readPolicyFile(file, this.context.cwd);
    if (!('text' in source)) throw new HotfixError([source]);
    const names = parseDocuments(source.file, source.text).documents.flatMap((d) => {
      const environments = (d.value as { spec?: { environments?: unknown } } | null)?.spec?.environments;
      return Array.isArray(environments) ? environments.map((e) => (e as { name?: unknown } | null)?.name) : [];
    });
    return [...new Set(names.filter((n): n is string => typeof n === 'string' && ENVIRONMENT_NAME.test(n)))];
  }
}

async function script(shell: Shell, tree: Parameters<typeof import('./completion/bash.js').bashScript>[0]): Promise<string> {
  switch (shell) {
    case 'bash':
      return (await import('./completion/bash.js')).bashScript(tree);
    case 'zsh':
      return (await import('./completion/zsh.js')).zshScript(tree);
    case 'fish':
      return (await import('./completion/fish.js')).fishScript(tree);
  }
}
