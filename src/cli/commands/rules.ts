import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';

/**
 * `keyscan rules` lists the rules in use (id, description, tags); `keyscan rules --test`
 * runs every rule's own samples through the detector, so a user checks a rule file the
 * way keyscan checks its defaults (issue 7). Exit 1 when a sample fails; a broken rule
 * file is a ConfigError (exit 2, every problem listed by the loader).
 */
export async function rulesCommand(args: Args, io: Io): Promise<number> {
  const config = loadConfig(args.config === undefined ? undefined : resolve(io.cwd, String(args.config)));
  if (args.test !== true) {
    const width = Math.min(40, Math.max(0, ...config.rules.map((r) => r.id.length)));
    const lines = config.rules.map((r) => `${r.id.padEnd(width)}  ${r.description}${r.tags.length ? `  [${r.tags.join(', ')}]` : ''}`);
    io.stdout(`${lines.join('\n')}${lines.length ? '\n' : ''}`);
    if (args.quiet !== true) io.stderr(`${config.rules.length} rule${config.rules.length === 1 ? '' : 's'} from ${config.sources.join(', ')}\n`);
    return 0;
  }
  const { testRules } = await import('../../detect/rule-test.js');
  const result = testRules(config);
  const out: string[] = [];
  for (const f of result.failures) out.push(`FAIL ${f.source}: ${f.ruleId}: ${f.message}`);
  const failedRules = new Set(result.failures.map((f) => f.ruleId)).size;
  if (result.untested.length > 0) {
    out.push(`note: ${result.untested.length} rule${result.untested.length === 1 ? ' has' : 's have'} no [rules.samples] and ${result.untested.length === 1 ? 'was' : 'were'} not tested: ${result.untested.join(', ')}`);
  }
  out.push(result.failures.length === 0
    ? `ok: ${result.tested} rule${result.tested === 1 ? '' : 's'} passed ${result.cases} sample case${result.cases === 1 ? '' : 's'}`
    : `${result.failures.length} failure${result.failures.length === 1 ? '' : 's'} in ${failedRules} of ${result.tested} rules (${result.cases} sample cases); fix the rule's regex, keywords or samples and run \`keyscan rules --test\` again`);
  io.stdout(`${out.join('\n')}\n`);
  return result.failures.length === 0 ? 0 : 1;
}
