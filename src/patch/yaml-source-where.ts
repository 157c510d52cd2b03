import { quickParse } from '../yaml/quick-parse.js';
import { RecentByText } from './recent-by-text.js';
import { parseYamlDocumentsWhere } from './yaml-documents-where.js';
import type { YamlSource } from './yaml-source.js';

/**
 * What a mapping key that is not a string may look like: `?` (an explicit key), a flow
 * collection ending right before a `:`, or an empty or null key. quickParse reads such keys
 * otherwise than `yaml` (see quick-parse.ts), and a collection key inside another is refused
 * (HF211), so a document holding any of these is parsed by `yaml`. Also matches text inside
 * quoted scalars, which only costs a parse.
 */
const ODD_KEY = /\?|[\]}][ \t]*:|(?:^|[\s,[{])(?:~|null|Null|NULL)?:(?:[ \t\r\n]|$)/m;

/** Document texts found to parse without error and without a collection key nested in a key. */
const readable = new RecentByText<true>(2 * 1024 * 1024);

/**
 * parseYamlSource for a file that will be edited, or whose image must be found exactly as
 * for an edit, of which only some documents are read: those `wanted` accepts (the ones
 * that can name the image, the ones the ops name) are parsed by `yaml`, with the offsets,
 * lines and indices of a whole parse; every other stands in empty at its index, after a
 * check that `yaml` reads it without error, made by quickParse (js-yaml, several times
 * faster) where it is sure to agree, else by `yaml` itself. So a file of two dozen
 * HelmReleases costs one document's tree, not two dozen, and is refused exactly as a whole
 * parse refuses it: anything not sure, or not readable, goes to parseYamlSource, whose
 * message (HF211) names the first broken document.
 */
export function parseYamlSourceWhere(text: string, wanted: (documentText: string, index: number) => boolean): YamlSource {
  return parseYamlDocumentsWhere(text, wanted, surelyReadable);
}

/** Whether `yaml` surely reads the document's text (one document, as split by documentChunks) without error, read the quick way. */
function surelyReadable(chunk: string): boolean {
  if (readable.get(chunk)) return true;
  if (ODD_KEY.test(chunk) || quickParse(chunk)?.length !== 1) return false;
  readable.set(chunk, true);
  return true;
}
