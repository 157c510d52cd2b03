import { isIPv4 } from 'node:net';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';

/** Where an image repository lives, and the URL its Distribution API is served under. */
export interface RegistryLocation {
  /** `host[:port]` as the image name gives it, after Docker Hub's aliases. */
  readonly host: string;
  /** The repository path on that host (`library/` added for Docker Hub's official images). */
  readonly repository: string;
  /** `http://HOST` for loopback, `https://HOST` for every other host. */
  readonly origin: string;
}

const DOCKER_HUB = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB]);
// The Distribution spec's grammar: names and references go into URLs unescaped.
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * Docker's rules: the first path component is a registry host when it has a `.` or a `:`
 * or is `localhost`; otherwise the image is on Docker Hub, where a one-component name is
 * an official image under `library/`.
 */
export function registryLocation(name: string): RegistryLocation {
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const explicit = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = explicit && !DOCKER_HUB_ALIASES.has(first) ? first : DOCKER_HUB;
  const path = explicit ? name.slice(slash + 1) : name;
  const repository = host === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  if (!HOST.test(host) || !REPOSITORY.test(repository)) throw badName(`${JSON.stringify(name)} is not a valid image name (a registry host, then lower-case path components of letters, digits and . _ -)`);
  return { host, repository, origin: `${isLoopback(host) ? 'http' : 'https'}://${host}` };
}

export function isDockerHub(host: string): boolean {
  return host === DOCKER_HUB;
}

/**
 * Loopback hosts are spoken to over plain http: that is a registry on this machine (a
 * test registry, a port-forward), where TLS would need a certificate nobody has.
 */
export function isLoopback(host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));
}

/** A tag or digest, as the Distribution spec's grammar allows it; returned for chaining. */
export function checkReference(reference: string): string {
  if (TAG.test(reference) || isDigest(reference)) return reference;
  throw badName(`${JSON.stringify(reference)} is neither a valid image tag nor a digest`);
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

function badName(message: string): HotfixError {
  return new HotfixError([diagnostic('HF210', message)]);
}
