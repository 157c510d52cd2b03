import { createHash } from 'node:crypto';
import { answerError } from './registry-errors.js';

const ALGORITHMS = new Set(['sha256', 'sha512']);

export function sha256Digest(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/**
 * Pure: throws HF213 unless the body hashes to the digest, so what the labels were read
 * from is what the digest names (content addressing is the registry's whole promise).
 */
export function checkDigest(body: Buffer, expected: string, what: string): void {
  const algorithm = expected.slice(0, expected.indexOf(':'));
  if (!ALGORITHMS.has(algorithm)) throw answerError(`${what} has a digest of an unsupported algorithm: ${expected}`);
  const actual = `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
  if (actual !== expected) throw answerError(`${what}: the content does not match its digest (expected ${expected}, got ${actual})`);
}
