import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';

/** HF212: the registry could not be reached in time, or refused access. */
export function accessError(message: string): HotfixError {
  return new HotfixError([diagnostic('HF212', message)]);
}

/** HF213: what the registry answered is not a valid Distribution API response. */
export function answerError(message: string): HotfixError {
  return new HotfixError([diagnostic('HF213', message)]);
}
