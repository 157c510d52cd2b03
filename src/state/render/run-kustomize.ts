import { execFile } from 'node:child_process';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { startFailure } from '../start-failure.js';
import { programOnPath } from '../program-path.js';

/** Rendering reads only local files; a remote base would be fetched, and must not hang planning. */
const KUSTOMIZE_TIMEOUT_MS = 60_000;

/**
 * `kubectl kustomize ./renderDir` run in `root` (an exported tree): the rendered YAML, or
 * HF216 with kubectl's own words. Only the `kustomize` subcommand with a directory is used,
 * which every kubectl since 1.14 has; no cluster is contacted.
 */
export function kustomize(kubectl: string, root: string, renderDir: string, context: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // `./` keeps a directory named like an option from being read as one.
    execFile(programOnPath(kubectl), ['kustomize', `./${renderDir}`], { cwd: root, timeout: KUSTOMIZE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).syscall?.startsWith('spawn')) return reject(startFailure(error, kubectl, { cwd: root, purpose: `render ${renderDir || '.'} (${context})` }));
      const why = (error as { killed?: boolean }).killed ? `timed out after ${KUSTOMIZE_TIMEOUT_MS / 1000}s` : withoutRoot(kubectlSays(stderr) || error.message, root);
      reject(new HotfixError([diagnostic('HF216', `kubectl kustomize ${renderDir || '.'} failed (${context}): ${why}`)]));
    });
  });
}

/**
 * The error line of kubectl's stderr, past deprecation warnings. kubectl up to 1.2x prints
 * `Error: …`; later ones log through klog: `E0101 … run.go:72] "command failed" err="…"`,
 * or `err=<` and the message's lines when it has several.
 */
export function kubectlSays(stderr: string): string {
  // A multi-line error is logged as a block: `… err=<`, its lines indented by a tab, ` >`.
  const block = /\berr=<\n((?:\t.*\n?)*) >\s*$/.exec(stderr);
  if (block) return block[1]!.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
  const last = stderr.split('\n').map((line) => line.trim()).filter((line) => line && !/^#?\s*warning\b/i.test(line)).pop() ?? '';
  const klog = /\berr="((?:[^"\\]|\\.)*)"$/.exec(last);
  return klog ? unquote(klog[1]!) : last.replace(/^Error:\s*/, '');
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}

/** kubectl names files by absolute path; inside the scratch tree they are repository paths. */
function withoutRoot(message: string, root: string): string {
  return message.split(`${root}/`).join('').split(root).join('.');
}
