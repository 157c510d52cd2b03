declare const HOTFIX_VERSION: string | undefined;

/** Set by the bundler from package.json; "dev" when run from source (tests). */
export const VERSION: string = typeof HOTFIX_VERSION === 'string' ? HOTFIX_VERSION : 'dev';
