import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { accessError } from './registry-errors.js';
import { isDockerHub } from './registry-host.js';
import { fsErrorWords } from '../../diagnostics/fs-error-words.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

/** `docker login` stores Docker Hub under its v1 index URL, every other registry by host. */
const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The config `docker login` writes: the option, else $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigPath(option?: string): string {
  return option ?? join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

/** The parsed config, or undefined when there is none (anonymous access only). */
export async function readDockerConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw accessError(`cannot read the docker config ${path}: ${fsErrorWords(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw accessError(`the docker config ${path} is not JSON`);
  }
}

/**
 * Pure: the credentials `docker login HOST` stored for a registry host. Keys are matched
 * as docker matches them, ignoring a scheme and a path (`https://host/v1/`).
 */
export function credentialsFor(config: unknown, host: string, configPath: string): Credentials | undefined {
  const auths = (config as { auths?: unknown } | undefined)?.auths;
  if (typeof auths !== 'object' || auths === null) return undefined;
  const wanted = isDockerHub(host) ? DOCKER_HUB_KEYS.map(hostOfKey) : [host.toLowerCase()];
  const key = Object.keys(auths).find((k) => wanted.includes(hostOfKey(k)));
  if (key === undefined) return undefined;
  const entry = (auths as Record<string, AuthEntry>)[key] ?? {};
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') return { username: entry.username, password: entry.password };
  if (typeof entry.auth !== 'string' || entry.auth === '') return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // The value itself stays out of the message: it is the password.
  if (colon <= 0) throw accessError(`the docker config ${configPath} has an "auth" for ${host} that is not base64 of user:password; log in again with docker login ${host}`);
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}
