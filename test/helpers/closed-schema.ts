import AjvModule from 'ajv';
import { readFileSync } from 'node:fs';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (branch: unknown): unknown => (isNode(branch) && isNode(branch.properties) && isNode(branch.properties.kind) ? branch.properties.kind.const : undefined);

/**
 * The schema with every object that lists its properties closed to others, so a field the
 * code writes and the schema does not describe is found. A property a conditional
 * (`allOf: [{if, then}]`) or a `oneOf` branch adds counts as described in the object it
 * sits in; conditionals stay open, since they only add to that object, and a `oneOf` of
 * branches told apart by `kind` becomes one closed branch per kind.
 */
export function closedSchema(schema: unknown, inConditional = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closedSchema(s, inConditional));
  if (!isNode(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'oneOf' && Array.isArray(value) && value.every((b) => kindOf(b) !== undefined))
      // Each branch as the condition of its kind, so a field is reported by its own branch only, not by every other.
      out.allOf = [...((out.allOf as unknown[]) ?? []), ...value.map((b) => ({ if: { properties: { kind: { const: kindOf(b) } }, required: ['kind'] }, then: closedSchema(b) }))];
    else if (key === 'if') out[key] = value;
    else if (key === 'then' || key === 'else') out[key] = closedSchema(value, true);
    else if (key === 'properties' && isNode(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closedSchema(v)]));
    else out[key] = closedSchema(value, inConditional && key === 'allOf');
  }
  if (isNode(schema.properties) && schema.additionalProperties === undefined && !inConditional) {
    // A branch describes the fields of the object it sits in; the branch itself is closed to the others.
    const branches = [...(Array.isArray(schema.allOf) ? schema.allOf : []).flatMap((c: unknown) => (isNode(c) ? [c.then, c.else] : [])), ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])];
    const conditional = branches.flatMap((b) => (isNode(b) && isNode(b.properties) ? Object.keys(b.properties) : []));
    out.properties = { ...Object.fromEntries(conditional.map((k) => [k, true])), ...(out.properties as Node) };
    out.additionalProperties = false;
  }
  return out;
}

/** The fields of `value` that plan.schema.json does not describe, as `path: field`; and any other way it fails the schema. */
export function undescribedFields(value: unknown, schemaFile = 'schemas/plan.schema.json'): string[] {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Node;
  const open = new AjvModule.default({ allErrors: true, strict: false });
  if (!open.validate(schema, value)) return (open.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} (fails the schema as published)`);
  const { $schema: _drop, ...rest } = closedSchema(schema) as Node;
  const closed = new AjvModule.default({ allErrors: true, strict: false });
  if (closed.validate(rest, value)) return [];
  // A oneOf reports every branch that did not fit; the branch that fits but for a field names that field.
  return [...new Set((closed.errors ?? []).filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}: ${String((e.params as { additionalProperty?: string }).additionalProperty)}`))];
}
