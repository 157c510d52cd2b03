/**
 * The tokens of a policy's dot path, `spec.containers[0].image` → `spec`, `containers`, `0`,
 * `image`: the form JSON pointers and the YAML walk take.
 */
export function dotPathTokens(path: string): readonly string[] {
  return path
    .split('.')
    .flatMap((segment) => segment.split(/\[(\d+)\]/).filter((part) => part !== ''));
}
