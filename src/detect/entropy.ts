/**
 * Counts per UTF-16 code unit, reused from call to call: the detector computes the entropy
 * of every candidate a rule's regex matches, and a Map per call showed up in profiles of
 * keyword-dense code. 256 KB, once per thread.
 */
const counts = new Uint32Array(65536);
const seen: number[] = [];

/** Shannon entropy of a string in bits per character (0 for the empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  seen.length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (counts[c]!++ === 0) seen.push(c);
  }
  // Summed in order of first occurrence, as before, so the value is the same to the last bit.
  let h = 0;
  for (let k = 0; k < seen.length; k++) {
    const c = seen[k]!;
    const p = counts[c]! / s.length;
    counts[c] = 0;
    h -= p * Math.log2(p);
  }
  return h;
}
