import type { SourceFile } from 'ts-morph';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { tsMorph } from './load.js';

/**
 * Parses one file on its own: an in-memory file system, no tsconfig, no lib files, no
 * imports followed and no type checking, since the syntax alone says where a literal is.
 * A file with syntax errors is refused: its tree may not be what its author meant.
 */
export function parseTypeScript(text: string): SourceFile {
  const { Project } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, skipFileDependencyResolution: true });
  const file = project.createSourceFile('config.ts', text);
  const [error] = project.getProgram().getSyntacticDiagnostics(file);
  if (error) {
    const message = error.getMessageText();
    const words = typeof message === 'string' ? message : message.getMessageText();
    throw new HotfixError([diagnostic('HF207', `the config file is not valid TypeScript (line ${error.getLineNumber() ?? '?'}): ${words}`)]);
  }
  return file;
}
