/**
 * A seeded generator: test secrets are made at test time, never stored, and the same
 * seed always makes the same secret so a failure can be reproduced.
 */
export class SeededRandom {
  private state: number;
  constructor(seed: string | number) {
    let h = typeof seed === 'number' ? seed >>> 0 : 2166136261;
    if (typeof seed === 'string') {
      for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    }
    this.state = h || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

export const ALPHABETS: Record<string, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  upperdigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lowerdigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};

/**
 * Expand a sample template: literal text with `{alphabet:count}` placeholders, e.g.
 * `ghp_{alnum:36}` or `AKIA{upperdigits:16}`. `{{` and `}}` are literal braces.
 */
export function expandTemplate(template: string, rng: SeededRandom): string {
  return template.replace(/\{\{|\}\}|\{([a-zA-Z0-9]+):(\d+)\}/g, (whole, name: string | undefined, count: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const alphabet = ALPHABETS[name!];
    if (!alphabet) throw new Error(`unknown alphabet "${name}" in template ${template}`);
    return rng.pick(alphabet, Number(count));
  });
}
