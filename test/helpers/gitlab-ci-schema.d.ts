// gitlab-ci-local ships GitLab's CI schema as a plain ES module without types.
declare module 'gitlab-ci-local/src/schema/schema.js' {
  export const schema: Record<string, unknown>;
}
