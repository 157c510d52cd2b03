import type { ErrorObject } from 'ajv';
// The lean copy the build compiles (no descriptions): titles and properties are all this needs.
import schema from './generated/validate-policy.schema.json' with { type: 'json' };
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closestName, didYouMean } from './did-you-mean.js';
import { formatPath, type Locate, type PathSegment } from './data-path.js';

type SchemaNode = {
  $ref?: string;
  title?: string;
  items?: SchemaNode;
  properties?: Record<string, unknown>;
  minProperties?: number;
  maxProperties?: number;
};

/** Turns ajv's errors into findings in plain words, each at the exact node it is about. */
export function schemaDiagnostics(errors: readonly ErrorObject[], data: unknown, locate: Locate, file?: string): Diagnostic[] {
  return errors.map((error) => {
    const path = pointerToPath(error.instancePath);
    const where = formatPath(path) || 'the document';
    const value = valueAt(data, path);
    const parent = schemaAt(path);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String(params.additionalProperty);
        const known = Object.keys(parent?.properties ?? {});
        return diagnostic('HF110', `unknown property "${name}" in ${where}${didYouMean(name, known)}`, { file, range: locate([...path, name], 'key') });
      }
      case 'required':
        return diagnostic('HF111', `${where} is missing the required property "${String(params.missingProperty)}"`, { file, range: locate(path, 'key') });
      case 'type':
        return diagnostic('HF112', `${where} must be ${article(String(params.type))}, not ${describe(value)}`, { file, range: locate(path) });
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map(String);
        return diagnostic('HF113', `${where}: ${describe(value)} is not allowed; use one of ${allowed.join(', ')}${typeof value === 'string' ? didYouMean(value, allowed) : ''}`, { file, range: locate(path) });
      }
      case 'const':
        return diagnostic('HF113', `${where} must be "${String(params.allowedValue)}", not ${describe(value)}`, { file, range: locate(path) });
      default:
        return diagnostic('HF114', `${where} ${boundsMessage(error, value, parent)}${environmentHint(error, path, value, data)}`, { file, range: locate(path) });
    }
  });
}

const ENVIRONMENT_NAME = (schema as { definitions: Record<string, SchemaNode> }).definitions.environmentName!.title;

/**
 * "Did you mean" for a reference to an environment that is not even a valid name
 * (`bypass: [Staging]`): the rules that name undeclared environments run only on data the
 * schema accepts, so this is where such a reference gets its hint.
 */
function environmentHint(error: ErrorObject, path: readonly PathSegment[], value: unknown, data: unknown): string {
  if (error.keyword !== 'pattern' || typeof value !== 'string' || schemaAt(path)?.title !== ENVIRONMENT_NAME) return '';
  const declaring = path.length === 4 && path[1] === 'environments' && path[3] === 'name';
  if (declaring) return '';
  const environments = valueAt(data, ['spec', 'environments']);
  const names = Array.isArray(environments) ? environments.map((e) => (e as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string') : [];
  return didYouMean(value, names, closestName);
}

function boundsMessage(error: ErrorObject, value: unknown, parent: SchemaNode | undefined): string {
  const params = error.params as Record<string, unknown>;
  const limit = params.limit as number;
  switch (error.keyword) {
    case 'pattern':
      return `${describe(value)} is not a valid ${parent?.title ?? `value (must match ${String(params.pattern)})`}`;
    case 'minimum':
      return `must be at least ${limit}, not ${describe(value)}`;
    case 'maximum':
      return `must be at most ${limit}, not ${describe(value)}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
    case 'maxLength':
      return `must be at most ${limit} characters long`;
    case 'minItems':
      return `must list at least ${limit} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must list at most ${limit} items`;
    case 'uniqueItems':
      return `lists the same item twice (items ${String(params.j)} and ${String(params.i)})`;
    case 'minProperties':
    case 'maxProperties': {
      const names = Object.keys(parent?.properties ?? {});
      if (parent?.minProperties === 1 && parent.maxProperties === 1) return `must have exactly one of: ${names.join(', ')}`;
      return error.keyword === 'minProperties' ? `must have at least one of: ${names.join(', ')}` : `has too many properties (at most ${limit})`;
    }
    default:
      return error.message ?? 'is not valid';
  }
}

/**
 * The schema that applies at a data path, found by walking properties, items and $refs.
 * (ajv's own schemaPath is relative to whichever $ref target it compiled separately.)
 */
function schemaAt(path: readonly PathSegment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolveRef(schema as SchemaNode);
  for (const segment of path) {
    const next: SchemaNode | undefined = typeof segment === 'number' ? node?.items : (node?.properties?.[segment] as SchemaNode | undefined);
    node = next && resolveRef(next);
  }
  return node;
}

function resolveRef(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = node.$ref.replace(/^#\//, '').split('/').reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[unescapePointer(key)], schema);
  return { ...(target as SchemaNode), ...node, $ref: undefined, title: (target as SchemaNode).title ?? node.title };
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map(unescapePointer).map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}
