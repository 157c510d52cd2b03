import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { PathSegment } from '../data-path.js';
import type { Policy } from '../types.js';

/** What a semantic rule sees: a schema-valid policy, and a way to report at a data path. */
export interface RuleContext {
  readonly policy: Policy;
  report(code: DiagnosticCode, message: string, path: readonly PathSegment[], part?: 'key' | 'value'): Diagnostic;
}

/** A check the schema cannot express. Pure: returns findings, changes nothing. */
export type Rule = (context: RuleContext) => Diagnostic[];
