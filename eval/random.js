// Seeded generation for the evaluation set: the same generator and template syntax as the
// rule samples (src/config/rule-samples.ts), so every value is made at run time (the
// repository holds no secret-looking text) and the same seed makes the same corpus.

let samples;
try {
  samples = await import('../dist/config/rule-samples.js');
} catch {
  console.error('eval: dist/ is missing: run `npm run build` first');
  process.exit(2);
}

export const { SeededRandom, ALPHABETS, expandTemplate } = samples;

/** One element of `list`, chosen by `rng`. */
export const choice = (rng, list) => list[rng.int(list.length)];
