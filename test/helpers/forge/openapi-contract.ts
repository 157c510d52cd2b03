import AjvModule, { type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';

/**
 * GitHub's REST API as its official OpenAPI document describes it (@octokit/openapi, the
 * api.github.com description GitHub publishes), turned into validators: an operation is
 * found by method and path template, and its parameters, request body and response bodies
 * are checked against the document's schemas with ajv. OpenAPI 3.0 is not JSON Schema:
 * `nullable` becomes a `null` type, and component references point into one schema
 * holding the components.
 */

type Json = Record<string, unknown>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema?: Json;
}

export interface Operation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly pathParams: Record<string, string>;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: Json;
  readonly responses: Record<string, Json>;
}

const document = createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json') as {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; parameters: Record<string, Parameter>; responses: Record<string, Json>; examples: Record<string, { value: Json }> };
};

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (options: object) => InstanceType<typeof AjvModule.default>)({ strict: false, allErrors: false, logger: false, formats: formats() });
ajv.addSchema({ $id: 'github', definitions: Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, jsonSchema(schema)])) });

/** The operation a request is for, with its path parameters; literal segments win over templates. */
export function findOperation(method: string, path: string): Operation | undefined {
  const segments = path.split('/');
  const candidates = Object.keys(document.paths)
    .map((template) => ({ template, parts: template.split('/') }))
    .filter(({ template, parts }) => parts.length === segments.length && document.paths[template]![method.toLowerCase()] !== undefined && parts.every((p, i) => p.startsWith('{') || p === segments[i]))
    .sort((a, b) => b.parts.filter((p) => !p.startsWith('{')).length - a.parts.filter((p) => !p.startsWith('{')).length);
  const found = candidates[0];
  if (!found) return undefined;
  const op = document.paths[found.template]![method.toLowerCase()]! as Json & { operationId: string; parameters?: Array<Parameter | { $ref: string }>; requestBody?: Json; responses: Record<string, Json | { $ref: string }> };
  const pathParams = Object.fromEntries(found.parts.flatMap((p, i) => (p.startsWith('{') ? [[p.slice(1, -1), decodeURIComponent(segments[i]!)]] : [])));
  const parameters = (op.parameters ?? []).map((p) => ('$ref' in p ? document.components.parameters[p.$ref.split('/').pop()!]! : p));
  const responses = Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, '$ref' in r ? document.components.responses[(r.$ref as string).split('/').pop()!]! : r]));
  return { method: method.toUpperCase(), template: found.template, operationId: op.operationId, pathParams, parameters, responses, ...(op.requestBody ? { requestBody: op.requestBody } : {}) };
}

/** What is wrong with the request's parameters and JSON body, by the operation's description; empty when nothing is. */
export function requestProblems(op: Operation, query: URLSearchParams, body: unknown): string[] {
  const problems: string[] = [];
  for (const p of op.parameters) {
    if (p.in === 'header') continue;
    const value = p.in === 'path' ? op.pathParams[p.name] : query.get(p.name) ?? undefined;
    if (value === undefined) {
      if (p.required) problems.push(`${p.in} parameter ${p.name} is required`);
      continue;
    }
    const problem = schemaProblem(p.schema ? coerced(value, p.schema) : value, p.schema ?? {});
    if (problem) problems.push(`${p.in} parameter ${p.name}=${JSON.stringify(value)}: ${problem}`);
  }
  for (const name of query.keys()) if (!op.parameters.some((p) => p.in === 'query' && p.name === name)) problems.push(`query parameter ${name} is not one ${op.operationId} takes`);
  const content = (op.requestBody?.content as Record<string, { schema: Json }> | undefined)?.['application/json'];
  if (content) {
    if (body === undefined) {
      if (op.requestBody?.required) problems.push('a JSON body is required');
    } else {
      const problem = schemaProblem(body, content.schema);
      if (problem) problems.push(`body: ${problem}`);
    }
  } else if (body !== undefined) problems.push(`${op.operationId} takes no body`);
  return problems;
}

/** What is wrong with a response the contract server is about to send, by the operation's description of that status. */
export function responseProblem(op: Operation, status: number, body: unknown): string | undefined {
  const response = op.responses[String(status)];
  if (!response) return `status ${status} is not a response ${op.operationId} documents (it documents ${Object.keys(op.responses).join(', ')})`;
  const schema = (response.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
  if (!schema) return body === undefined ? undefined : `status ${status} of ${op.operationId} has no body`;
  const problem = schemaProblem(body, schema);
  return problem ? `response ${status} of ${op.operationId}: ${problem}` : undefined;
}

/** GitHub's documented example of a response, a shape to start a stored object from. */
export function documentedExample(method: string, template: string, status: number): Json {
  const op = document.paths[template]![method.toLowerCase()] as { responses: Record<string, { content: Record<string, { examples: Record<string, { value?: Json; $ref?: string }> }> }> };
  const example = Object.values(op.responses[String(status)]!.content['application/json']!.examples)[0]!;
  const value = example.$ref ? document.components.examples[example.$ref.split('/').pop()!]!.value : example.value;
  return structuredClone(value!);
}

const compiled = new WeakMap<Json, ValidateFunction>();

function schemaProblem(data: unknown, schema: Json): string | undefined {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(jsonSchema(schema));
    compiled.set(schema, validate);
  }
  if (validate(data)) return undefined;
  const e = validate.errors![0]!;
  return `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length > 0 ? ` (${JSON.stringify(e.params)})` : ''}`;
}

/** A path or query value as the type its schema says (GitHub reads `per_page=100` as a number). */
function coerced(value: string, schema: Json): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) return Number(value);
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** OpenAPI 3.0 schema object → JSON Schema (draft-07, as ajv reads it). */
function jsonSchema(node: unknown): Json {
  if (Array.isArray(node)) return node.map(jsonSchema) as unknown as Json;
  if (!node || typeof node !== 'object') return node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'nullable' || k === 'example' || k === 'discriminator' || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(/^#\/components\/schemas\//, 'github#/definitions/');
    else if (k === 'properties' && v && typeof v === 'object') out.properties = Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, jsonSchema(s)]));
    else out[k] = typeof v === 'object' ? jsonSchema(v) : v;
  }
  if ((node as Json).nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) && !out.enum.includes(null) ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [{ type: 'null' }, out] };
}

/** The formats GitHub's schemas use, checked as RFC 3339 and RFC 3986 define them (enough to catch a wrong value). */
function formats() {
  return {
    'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    date: /^\d{4}-\d{2}-\d{2}$/,
    uri: (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s),
    'uri-template': () => true,
    email: /^[^@\s]+@[^@\s]+$/,
    hostname: /^[a-z0-9.-]+$/i,
    ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
    ipv6: () => true,
    uuid: /^[0-9a-f-]{36}$/i,
    binary: () => true,
    repo: () => true,
    uri_reference: () => true,
  };
}
