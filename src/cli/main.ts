import { VERSION } from '../version.js';

/**
 * The entry point. `hotfix --version` (or `version`) answers before anything else is loaded: it runs in
 * every CI job, and start-up time is a feature. Everything else goes through clipanion.
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  // A reader that is gone (`hotfix --version | true`) is no failure; everything else writes through TerminalOutput.
  process.stdout.on('error', () => undefined);
  process.stdout.write(`${VERSION}\n`);
} else {
  process.exitCode = await (await import('./run-cli.js')).runCli(argv);
}
