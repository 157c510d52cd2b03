/** Terminal styling: colour only on a TTY, and never when NO_COLOR is set (no-color.org). */
export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * Styles travel through the text as marks, `STYLE_MARK` then SGR parameters then `m`, and
 * become escape sequences only where the text is written (printable.ts), after every control
 * character in it was made visible. Text from outside cannot forge a mark: its key is random
 * per process.
 */
export const STYLE_MARK = `\ue000${Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('')}`;

/** The mark of one SGR sequence (`1`, `31`, `38;5;232`). */
export function styleMark(parameters: string): string {
  return `${STYLE_MARK}${parameters}m`;
}

export function styleFor(stream: object, env: Readonly<Record<string, string | undefined>>): Style {
  const on = Boolean((stream as { isTTY?: boolean }).isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  const wrap = (open: number, close: number) => (text: string) => (on ? `${styleMark(String(open))}${text}${styleMark(String(close))}` : text);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
