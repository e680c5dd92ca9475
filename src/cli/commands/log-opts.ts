import { UsageError } from '../../errors.js';

/**
 * Split `--log-opts` the way a shell would (quotes, backslashes), since it is passed to
 * git as separate arguments. Options that would change git log's output format are
 * refused: the parser depends on it.
 */
export function splitLogOpts(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) cur += value[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < value.length) {
      cur += value[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError('--log-opts has an unclosed quote');
  if (inWord) out.push(cur);
  const bad = out.find((a) => /^--(format|pretty|oneline|patch-with-stat|stat|name-only|name-status|word-diff|color|ext-diff|textconv|output)\b/.test(a) || a === '-z');
  if (bad) throw new UsageError(`--log-opts: ${bad} changes git's output format, which keyscan parses`, 'select commits only (ranges, --since, --author, paths…)');
  return out;
}
