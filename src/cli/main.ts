import { setFlagsFromString } from 'node:v8';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';
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
  // fetch (the registry, the forges) parses HTTP with undici's llhttp, a WebAssembly module,
  // and V8 re-compiles its busy functions with TurboFan on background threads. For the few
  // small responses a command reads, that compile cost more CPU than all the rest of a
  // `plan hotfix` (0.6 s of 2.2 s, measured with perf); Liftoff, V8's baseline WebAssembly
  // compiler, parses the same bytes. Set before anything compiles WebAssembly.
  setFlagsFromString('--liftoff-only');
  let runCli: ((argv: readonly string[]) => Promise<number>) | undefined;
  try {
    ({ runCli } = await import('./run-cli.js'));
  } catch (error) {
    // The CLI's own code could not be read (out of file descriptors, a damaged install): nothing
    // that reports failures is loaded yet, so this one line is written here, as they write it.
    const file = (error as NodeJS.ErrnoException).path ?? 'hotfix\'s own code';
    process.stderr.write(`error  could not load ${file}: ${fsErrorWords(error)}  [HF224]\n`);
    process.exitCode = 1;
  }
  if (runCli) process.exitCode = await runCli(argv);
}
