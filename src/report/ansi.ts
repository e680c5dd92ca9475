/**
 * Terminal colours for the text reporters. Each takes `on` so a reporter stays a pure
 * function of its input: whether colour is wanted is decided once, in the CLI.
 */
const ansi = (code: string) => (on: boolean, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export const bold = ansi('1');
export const dim = ansi('2');
export const red = ansi('31');
export const green = ansi('32');
export const yellow = ansi('33');
