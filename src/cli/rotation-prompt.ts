/** The answers a person can give for each finding at the rotation prompt. */
export type PromptAnswer = 'yes' | 'no' | 'all' | 'quit';

export function parseAnswer(text: string | null): PromptAnswer | undefined {
  if (text === null) return 'quit'; // end of input: treat as quit, never as yes
  switch (text.trim().toLowerCase()) {
    case 'y': case 'yes': return 'yes';
    case 'n': case 'no': case '': return 'no';
    case 'a': case 'all': return 'all';
    case 'q': case 'quit': return 'quit';
    default: return undefined;
  }
}

/**
 * Ask about each item in turn: yes takes it, no skips it, all takes it and every one
 * after it, quit stops (keeping what was already confirmed). An empty answer is no:
 * revoking a production key is never the default.
 */
export async function confirmEach<T>(
  items: T[],
  describe: (item: T, index: number) => string,
  ask: (question: string) => Promise<string | null>,
  write: (text: string) => void,
): Promise<T[]> {
  const confirmed: T[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    write(describe(item, i));
    let answer: PromptAnswer | undefined;
    while (answer === undefined) {
      answer = parseAnswer(await ask(`Rotate this key now? [y]es / [N]o / [a]ll / [q]uit (${i + 1}/${items.length}) `));
      if (answer === undefined) write('Please answer y, n, a or q.\n');
    }
    if (answer === 'quit') break;
    if (answer === 'all') return [...confirmed, ...items.slice(i)];
    if (answer === 'yes') confirmed.push(item);
  }
  return confirmed;
}

/** A line-based question on the terminal: prompts on stderr, reads stdin. Null on end of input. */
export async function terminalAsk(): Promise<{ ask: (q: string) => Promise<string | null>; close: () => void }> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let closed = false;
  rl.on('close', () => { closed = true; });
  return {
    ask: (q) => new Promise((resolve) => {
      if (closed) return resolve(null);
      const onClose = () => resolve(null);
      rl.once('close', onClose);
      rl.question(q, (a) => {
        rl.off('close', onClose);
        resolve(a);
      });
    }),
    close: () => rl.close(),
  };
}
