import type { Config, Rule } from '../config/rule.js';
import { sampleCases, sampleProblems, type SampleCase } from '../config/rule-samples.js';
import { Detector } from './detector.js';

/** One way a rule failed its own samples. */
export interface SampleFailure {
  ruleId: string;
  /** File the rule came from. */
  source: string;
  /** What went wrong, for a person: which sample, in which syntax, and what was found. */
  message: string;
}

export interface RuleTestResult {
  /** Rules that carry samples. */
  tested: number;
  /** Ids of rules with no `[rules.samples]`: nothing to run. */
  untested: string[];
  /** Concrete texts scanned. */
  cases: number;
  failures: SampleFailure[];
}

/** A short, non-identifying preview of a generated secret for failure messages. */
function preview(s: string): string {
  const flat = s.replace(/\n/g, '\\n');
  return flat.length > 16 ? `${flat.slice(0, 12)}…(${flat.length} chars)` : flat;
}

/**
 * Run one case through a detector built for the whole config (so global allowlists
 * apply, as in a real scan). Returns why it failed, or undefined when it passed.
 */
export function checkSampleCase(detector: Detector, c: SampleCase): string | undefined {
  const own = detector.detect({ raw: c.text, filePath: c.filePath, startLine: 1 }).filter((f) => f.ruleId === c.ruleId);
  const where = `${c.kind} #${c.index} (${c.syntax})`;
  if (c.kind === 'positive') {
    if (own.some((f) => f.secret === c.expected)) return undefined;
    if (own.length === 0) return `${where} not found: ${c.sample}`;
    return `${where} captured ${own.map((f) => JSON.stringify(preview(f.secret))).join(', ')} instead of ${JSON.stringify(preview(c.expected ?? ''))}: ${c.sample}`;
  }
  if (own.length === 0) return undefined;
  return `${where} was reported (${own.map((f) => JSON.stringify(preview(f.secret))).join(', ')}): ${c.sample}`;
}

/**
 * Every sample of every rule through the real Detector: positives must be found with the
 * exact secret, negatives must not be reported by their rule. Pure: no I/O.
 */
export function testRules(config: Config, only?: (rule: Rule) => boolean): RuleTestResult {
  const detector = new Detector(config);
  const result: RuleTestResult = { tested: 0, untested: [], cases: 0, failures: [] };
  for (const rule of config.rules) {
    if (only && !only(rule)) continue;
    if (!rule.samples) {
      result.untested.push(rule.id);
      continue;
    }
    result.tested++;
    const fail = (message: string) => result.failures.push({ ruleId: rule.id, source: rule.source, message });
    for (const p of sampleProblems(rule)) fail(p);
    let cases: SampleCase[];
    try {
      cases = sampleCases(rule);
    } catch (err) {
      fail((err as Error).message);
      continue;
    }
    for (const c of cases) {
      result.cases++;
      const why = checkSampleCase(detector, c);
      if (why) fail(why);
    }
  }
  return result;
}
