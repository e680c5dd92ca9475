import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import type { FilterOptions } from '../../src/filters/index.js';
import { parseDirectives } from '../../src/filters/inline-directives.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { fileFragment, memorySource } from '../helpers/fragments.js';

const TOKEN = fakeGithubToken('directives');
const OTHER = fakeGithubToken('directives-other');

/** Scan in-memory fragments with the default rules; returns reported and suppressed. */
async function run(fragments: Fragment[], options: FilterOptions = {}) {
  const result = await scan(memorySource(fragments), loadDefaultConfig(), options);
  return { lines: result.findings.map((f) => f.startLine), suppressed: result.suppressed };
}

async function runText(text: string, options: FilterOptions = {}) {
  return run([fileFragment('src/app.txt', text)], options);
}

/** Comment syntaxes: how to write a comment holding `body`, alone or after code. */
const SYNTAXES: Record<string, (body: string) => string> = {
  'hash': (b) => `# ${b}`,
  'slash-slash': (b) => `// ${b}`,
  'c-block': (b) => `/* ${b} */`,
  'html': (b) => `<!-- ${b} -->`,
  'sql': (b) => `-- ${b}`,
};

describe('inline directives in five comment syntaxes', () => {
  for (const [name, comment] of Object.entries(SYNTAXES)) {
    describe(name, () => {
      it('keyscan:allow on the same line, also limited to the rule id', async () => {
        const text = [
          `a = "${TOKEN}" ${comment('keyscan:allow')}`,
          `b = "${TOKEN}" ${comment('keyscan:allow github-pat -- test fixture')}`,
          `c = "${TOKEN}" ${comment('keyscan:allow some-other-rule')}`,
          `d = "${TOKEN}"`,
        ].join('\n');
        const { lines, suppressed } = await runText(text);
        expect(lines).toEqual([3, 4]);
        expect(suppressed.map((s) => s.reason)).toEqual(['keyscan:allow on line 1', 'keyscan:allow github-pat on line 2']);
      });

      it('keyscan:allow-next-line on the line before', async () => {
        const text = [comment('keyscan:allow-next-line'), `a = "${TOKEN}"`, `b = "${OTHER}"`].join('\n');
        const { lines, suppressed } = await runText(text);
        expect(lines).toEqual([3]);
        expect(suppressed).toHaveLength(1);
        expect(suppressed[0]!.reason).toBe('keyscan:allow-next-line on line 1');
      });

      it('keyscan:disable … keyscan:enable block', async () => {
        const text = [`x = "${TOKEN}"`, comment('keyscan:disable'), `a = "${TOKEN}"`, `b = "${OTHER}"`, comment('keyscan:enable'), `c = "${OTHER}"`].join('\n');
        const { lines, suppressed } = await runText(text);
        expect(lines).toEqual([1, 6]);
        expect(suppressed.map((s) => s.reason)).toEqual([
          'keyscan:disable on line 2 (block until line 5)',
          'keyscan:disable on line 2 (block until line 5)',
        ]);
      });

      it('foreign same-line tags: gitleaks, betterleaks, detect-secrets, secretlint', async () => {
        const text = [
          `a = "${TOKEN}" ${comment('gitleaks:allow')}`,
          `b = "${TOKEN}" ${comment('betterleaks:allow')}`,
          `c = "${TOKEN}" ${comment('pragma: allowlist secret')}`,
          `d = "${TOKEN}" ${comment('secretlint-disable-line')}`,
          `e = "${TOKEN}"`,
        ].join('\n');
        const { lines, suppressed } = await runText(text);
        expect(lines).toEqual([5]);
        expect(suppressed.map((s) => s.reason)).toEqual([
          'gitleaks:allow on line 1',
          'betterleaks:allow on line 2',
          'pragma: allowlist secret on line 3',
          'secretlint-disable-line on line 4',
        ]);
        // --no-foreign-directives: only keyscan's own count.
        expect((await runText(text, { foreignDirectives: false })).lines).toEqual([1, 2, 3, 4, 5]);
      });

      it('foreign next-line and block tags', async () => {
        const text = [
          comment('pragma: allowlist nextline secret'),
          `a = "${TOKEN}"`,
          comment('secretlint-disable-next-line'),
          `b = "${TOKEN}"`,
          comment('secretlint-disable'),
          `c = "${TOKEN}"`,
          comment('secretlint-enable'),
          `d = "${TOKEN}"`,
        ].join('\n');
        const { lines, suppressed } = await runText(text);
        expect(lines).toEqual([8]);
        expect(suppressed.map((s) => s.reason)).toEqual([
          'pragma: allowlist nextline secret on line 1',
          'secretlint-disable-next-line on line 3',
          'secretlint-disable on line 5 (block until line 7)',
        ]);
        expect((await runText(text, { foreignDirectives: false })).lines).toEqual([2, 4, 6, 8]);
      });
    });
  }
});

describe('directives and multi-line values', () => {
  it('allow-next-line covers a Python triple-quoted string the next line opens', async () => {
    const text = ['# keyscan:allow-next-line', 'KEY = """', `  ${TOKEN}`, '"""', `after = "${OTHER}"`].join('\n');
    const { lines, suppressed } = await runText(text);
    expect(lines).toEqual([5]);
    expect(suppressed[0]!.reason).toBe('keyscan:allow-next-line on line 1');
  });

  it('allow-next-line covers a JavaScript template literal and a YAML block scalar', async () => {
    const js = ['// keyscan:allow-next-line', 'const key = `', `${TOKEN}`, '`;', `const b = "${OTHER}";`].join('\n');
    expect((await runText(js)).lines).toEqual([5]);
    const yaml = ['# keyscan:allow-next-line', 'token: |', `  ${TOKEN}`, `  ${TOKEN}`, `other: ${OTHER}`].join('\n');
    expect((await runText(yaml)).lines).toEqual([5]);
  });

  it('allow-next-line does not reach past the next statement', async () => {
    const text = ['// keyscan:allow-next-line', `const a = "${TOKEN}";`, `const b = "${TOKEN}";`].join('\n');
    expect((await runText(text)).lines).toEqual([3]);
  });

  it('a disable/enable block covers every line of a multi-line string', async () => {
    const text = ['<!-- keyscan:disable github-pat -->', '<pre>', TOKEN, OTHER, '</pre>', '<!-- keyscan:enable github-pat -->', TOKEN].join('\n');
    const { lines, suppressed } = await runText(text);
    expect(lines).toEqual([7]);
    expect(suppressed.map((s) => s.reason)).toEqual([
      'keyscan:disable github-pat on line 1 (block until line 6)',
      'keyscan:disable github-pat on line 1 (block until line 6)',
    ]);
  });

  it('a block limited to another rule does not cover github-pat; an unclosed block runs to the end', async () => {
    expect((await runText(['-- keyscan:disable aws-access-key', TOKEN].join('\n'))).lines).toEqual([2]);
    const { suppressed } = await runText(['/* keyscan:disable */', TOKEN].join('\n'));
    expect(suppressed[0]!.reason).toBe('keyscan:disable on line 1 (block to the end of the file)');
  });

  it('--ignore-directives reports everything', async () => {
    const text = [`a = "${TOKEN}" # keyscan:allow`, `b = "${TOKEN}" # gitleaks:allow`].join('\n');
    const { lines, suppressed } = await runText(text, { ignoreDirectives: true });
    expect(lines).toEqual([1, 2]);
    expect(suppressed).toEqual([]);
  });
});

describe('directives in fragments that do not start at line 1', () => {
  it('places directives with the fragment start line (a later piece of a large file)', async () => {
    const raw = ['# keyscan:allow-next-line', `a = "${TOKEN}"`, `b = "${OTHER}"`].join('\n');
    const { lines, suppressed } = await run([fileFragment('big.txt', raw, { startLine: 1001 })]);
    expect(lines).toEqual([1003]);
    expect(suppressed[0]!.reason).toBe('keyscan:allow-next-line on line 1001');
  });

  it('parses line numbers, rule id lists and stops ids at a reason', () => {
    const ds = parseDirectives(['x', 'y # keyscan:allow github-pat, aws-access-key -- fixture', '', '// keyscan:disable-next-line'].join('\n'), 10);
    expect(ds.map((d) => [d.line, d.scope, d.ruleIds])).toEqual([
      [11, 'line', ['github-pat', 'aws-access-key']],
      [13, 'next-line', []],
    ]);
  });
});
