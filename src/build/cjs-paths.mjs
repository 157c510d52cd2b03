// Injected by build.mjs into the ESM bundle for the CommonJS code it bundles (the TypeScript
// compiler inside ts-morph reads __filename and __dirname as soon as it loads). Each names the
// bundle chunk it ends up in, as Node would name the file for CommonJS.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);

export { __dirname, __filename };
