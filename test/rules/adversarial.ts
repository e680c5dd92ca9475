import type { Rule } from '../../src/config/rule.js';
import { SeededRandom, expandTemplate } from '../../src/config/rule-samples.js';

/** Length of every adversarial line (issue 2: "100k-character lines"). */
export const ADVERSARIAL_LENGTH = 100_000;

function fill(unit: string, length = ADVERSARIAL_LENGTH): string {
  if (unit.length === 0) return '';
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * Lines made of the characters a rule accepts, with no newline: its keywords repeated,
 * its secret alphabet (the characters of its expanded positives), keyword + alphabet
 * mixes, and a positive repeated without separators. These are the inputs that make a
 * backtracking regex with nested or unbounded quantifiers go quadratic or worse.
 */
export function adversarialLines(rule: Rule): { name: string; text: string }[] {
  const rng = new SeededRandom(`redos:${rule.id}`);
  const positives = (rule.samples?.positives ?? []).map((t, i) =>
    expandTemplate(t, new SeededRandom(`${rule.id}#${i + 1}`)).replace(/[«»]/g, '').replace(/[\r\n]/g, ''),
  );
  const alphabet = [...new Set(positives.join(''))].join('') || 'aA0_-.';
  const randomRun = (n: number) => rng.pick(alphabet, n);
  const keywords = rule.keywords.length > 0 ? rule.keywords : [''];
  const lines: { name: string; text: string }[] = [
    { name: 'keywords repeated', text: fill(keywords.join('')) },
    { name: 'keywords with spaces', text: fill(`${keywords.join(' ')} `) },
    { name: 'secret alphabet', text: randomRun(ADVERSARIAL_LENGTH) },
    { name: 'keyword + alphabet', text: fill(keywords.map((k) => k + randomRun(40)).join('')) },
    { name: 'keyword + long alphabet run', text: fill(keywords.map((k) => k + randomRun(5000)).join('')) },
    { name: 'keyword + assignment', text: fill(keywords.map((k) => `${k}=${randomRun(8)}:`).join('')) },
  ];
  for (const [i, p] of positives.slice(0, 2).entries()) {
    // A positive cut short of its end, repeated: every copy starts a match that must fail.
    lines.push({ name: `positive #${i + 1} truncated, repeated`, text: fill(p.slice(0, Math.max(1, p.length - 1))) });
    lines.push({ name: `positive #${i + 1} repeated`, text: fill(p) });
  }
  return lines;
}
