import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { schema as published } from '@octokit/graphql-schema';

/**
 * GitHub's GraphQL API as its published schema (@octokit/graphql-schema, updated from
 * GitHub's public schema) defines it: a query is parsed, validated and its variables
 * coerced against that schema by graphql-js, and then run against resolvers that act on
 * the contract server's state, so only what the real API accepts is answered with data.
 */
let built: GraphQLSchema | undefined;

export interface MinimizeResult {
  readonly isMinimized: boolean;
  readonly minimizedReason: string;
}

export interface GraphqlState {
  /** Minimises the comment with this node id; undefined when there is none. */
  minimize(subjectId: string, classifier: string): MinimizeResult | undefined;
}

export interface GraphqlAnswer {
  readonly data?: unknown;
  readonly errors?: ReadonlyArray<{ readonly type?: string; readonly message: string; readonly path?: readonly (string | number)[] }>;
  /** Whether the schema refused the query or its variables: a contract violation. */
  readonly invalid: boolean;
}

export async function answerGraphql(state: GraphqlState, query: unknown, variables: unknown): Promise<GraphqlAnswer> {
  if (typeof query !== 'string') return { errors: [{ message: 'A query attribute must be specified and must be a string.' }], invalid: true };
  // The published SDL defines a few fields twice (as GitHub's schema dump has them); graphql-js takes the last.
  built ??= buildSchema(published.idl, { assumeValidSDL: true });
  let notFound: string | undefined;
  const rootValue = {
    minimizeComment: ({ input }: { input: { subjectId: string; classifier: string } }) => {
      const result = state.minimize(input.subjectId, input.classifier);
      if (!result) {
        notFound = input.subjectId;
        throw new Error(`Could not resolve to a node with the global id of '${input.subjectId}'`);
      }
      return { minimizedComment: { __typename: 'IssueComment', ...result } };
    },
  };
  const result = await graphql({ schema: built, source: query, rootValue, variableValues: (variables ?? {}) as Record<string, unknown> });
  const errors = result.errors?.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}), ...(notFound !== undefined ? { type: 'NOT_FOUND' } : {}) }));
  // Errors that reached a resolver are the API's answers; any other is a query the schema refuses.
  const invalid = Boolean(result.errors?.some((e) => e.path === undefined));
  return { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}), invalid };
}
