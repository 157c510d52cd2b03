import { createHash } from 'node:crypto';

/** What a plan comment is for: one comment (set of parts) per pull request and key. */
export interface CommentKey {
  readonly kind: string;
  readonly policy: string;
  readonly environment: string;
}

/**
 * The hidden first line of every comment hotfix posts: which key and part it is, which
 * plan it shows (`none` for a refusal), whether a later run retired it, and a digest of
 * all of that and of the text under it, so an edit by a person is seen (HF506).
 */
export interface Marker {
  readonly key: CommentKey;
  readonly part: number;
  readonly parts: number;
  readonly plan: string;
  readonly state: 'current' | 'retired';
  readonly digest: string;
}

const MARKER = /^<!-- hotfix-plan-comment key=([^ /]+)\/([^ /]+)\/([^ /]+) part=([1-9][0-9]{0,3})\/([1-9][0-9]{0,3}) plan=(none|sha256:[0-9a-f]{64}) state=(current|retired) digest=(sha256:[0-9a-f]{64}) -->$/;

export function sameKey(a: CommentKey, b: CommentKey): boolean {
  return a.kind === b.kind && a.policy === b.policy && a.environment === b.environment;
}

/** A comment body: its marker line, then the text a reader sees. */
export function markedBody(fields: Omit<Marker, 'digest'>, text: string): string {
  const digest = bodyDigest(fields, text);
  // encodeURIComponent leaves no space, `/` or `>` in a name, so no name can end the HTML comment or a field.
  const key = [fields.key.kind, fields.key.policy, fields.key.environment].map(encodeURIComponent).join('/');
  return `<!-- hotfix-plan-comment key=${key} part=${fields.part}/${fields.parts} plan=${fields.plan} state=${fields.state} digest=${digest} -->\n${text}`;
}

export type ReadMarker = { readonly marker: Marker; readonly edited: boolean } | undefined;

/** The marker of a comment body, if it has one, and whether the body still matches its digest. */
export function readMarker(body: string): ReadMarker {
  const text = body.replace(/\r\n?/g, '\n');
  const newline = text.indexOf('\n');
  const match = MARKER.exec(newline < 0 ? text : text.slice(0, newline));
  if (!match) return undefined;
  const [, kind, policy, environment, part, parts, plan, state, digest] = match as unknown as string[];
  let key: CommentKey;
  try {
    key = { kind: decodeURIComponent(kind!), policy: decodeURIComponent(policy!), environment: decodeURIComponent(environment!) };
  } catch {
    return undefined;
  }
  const marker: Marker = { key, part: Number(part), parts: Number(parts), plan: plan!, state: state as Marker['state'], digest: digest! };
  const edited = marker.part > marker.parts || bodyDigest(marker, newline < 0 ? '' : text.slice(newline + 1)) !== marker.digest;
  return { marker, edited };
}

function bodyDigest(fields: Omit<Marker, 'digest'>, text: string): string {
  const { key, part, parts, plan, state } = fields;
  const head = JSON.stringify([key.kind, key.policy, key.environment, part, parts, plan, state]);
  // Line ends as GitHub's editor may rewrite them, on both sides: only an edit of the words counts.
  return `sha256:${createHash('sha256').update(`${head}\n${text.replace(/\r\n?/g, '\n')}`).digest('hex')}`;
}
