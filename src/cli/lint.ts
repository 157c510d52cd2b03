import { Command, Option, UsageError } from 'clipanion';
import * as t from 'typanion';
import { EXIT } from './report-failure.js';
import { HotfixCommand } from './hotfix-command.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export class LintCommand extends HotfixCommand {
  static override paths = [['lint']];

  static override usage = Command.Usage({
    description: 'check hotfix policies',
    details: `
      Reads every \`*.yaml\`/\`*.yml\` file under the given paths (default: \`policies/\`) and checks each \`HotfixPolicy\` document: YAML syntax, the schema (every violation, with "did you mean"), and rules the schema cannot express (undeclared environments, unknown template placeholders, names git would refuse, regular expressions that do not compile, config paths leaving the repository, duplicate names across files, and more).

      YAML in the tree that is not a policy is ignored. Each finding has a stable code (\`HF1xx\`), a severity and a position.

      Exit status: 0 when there are no errors (and no more warnings than \`--max-warnings\`; with \`--require-policy\`, at least one policy was found), 1 otherwise, 64 for a usage error.
    `,
    examples: [
      ['Lint the policies/ directory', '$0 lint'],
      ['Lint one file, as JSON', '$0 lint --format json policies/api-js.yaml'],
      ['In CI: fail when the path holds no policy (a mistyped path)', '$0 lint --require-policy deploy/policies/'],
      ['Upload findings to GitHub code scanning', '$0 lint --format sarif > hotfix.sarif'],
      ['Annotate a pull request from a GitHub Actions step', '$0 lint --format github'],
    ],
  });

  format = Option.String('--format', 'text', {
    description: `Output format: ${FORMATS.join(', ')}`,
    validator: t.isEnum(FORMATS),
  });

  maxWarnings = Option.String('--max-warnings', {
    description: 'Fail (exit 1) when there are more warnings than this',
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(0)]),
  });

  requirePolicy = Option.Boolean('--require-policy', false, {
    description: 'Fail (exit 1, HF138) when no HotfixPolicy document is found, so a mistyped path does not pass with nothing checked',
  });

  targets = Option.Rest({ name: 'path' });

  protected async run(): Promise<number> {
    const [{ readPolicyFiles }, { lintSources }, { compareDiagnostics, countBySeverity }, { missingPolicy }] = await Promise.all([
      import('../policy/read-policy-files.js'),
      import('../policy/lint.js'),
      import('../diagnostics/diagnostic.js'),
      import('../policy/require-policy.js'),
    ]);
    const paths = this.targets.length > 0 ? this.targets : ['policies/'];
    if (paths.some((p) => p.length === 0)) throw new UsageError('a path may not be empty');

    const read = readPolicyFiles(paths, this.context.cwd);
    const linted = await lintSources(read.sources);
    const missing = this.requirePolicy ? missingPolicy(paths, read.sources.length, linted) : undefined;
    const result = { ...linted, diagnostics: [...read.diagnostics, ...linted.diagnostics, ...(missing ? [missing] : [])].sort(compareDiagnostics) };
    this.context.stdout.write(await this.render(result));

    const { errors, warnings } = countBySeverity(result.diagnostics);
    const tooManyWarnings = this.maxWarnings !== undefined && warnings > this.maxWarnings;
    if (tooManyWarnings && this.format === 'text')
      this.context.stderr.write(`hotfix: ${warnings} warnings is more than --max-warnings ${this.maxWarnings}\n`);
    return errors > 0 || tooManyWarnings ? EXIT.failure : EXIT.ok;
  }

  private async render(result: import('../policy/lint.js').LintResult): Promise<string> {
    const { VERSION } = await import('../version.js');
    switch (this.format) {
      case 'json':
        return (await import('../render/lint-report.js')).renderLintJson(result, VERSION);
      case 'sarif':
        return (await import('../render/sarif.js')).renderSarif(result.diagnostics, VERSION, this.context.cwd);
      case 'github':
        return (await import('../render/github-annotations.js')).renderGithubAnnotations(result.diagnostics);
      default: {
        const [{ renderLintText }, { styleFor }] = await Promise.all([import('../render/lint-report.js'), import('../render/style.js')]);
        return renderLintText(result, styleFor(this.context.stdout, this.context.env));
      }
    }
  }
}
