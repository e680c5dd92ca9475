#!/usr/bin/env node
/**
 * Build step: `keyscan protect`, the pre-commit hook's path, as one file,
 * dist/bundle/protect.js, which the bin loads for that command (issue 3: the hook's
 * wall time within 2x of `node -e 0`). Node loads ES modules one by one, resolving,
 * reading and compiling each; the ~45 modules of the hook path cost it ~40 ms of a
 * ~230 ms run. A bundle of the whole CLI was slower (V8 parsed all of it for the
 * few modules a commit needs): this one holds exactly what `protect` can reach, and
 * leaves out the other commands, which are never loaded from it.
 *
 * Built from dist/ after tsc, so it is the same code the tests run. Written to a
 * temporary file and renamed: an interrupted build leaves the previous bundle or none.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild-wasm';
import { escapeNonAscii } from '../dist/config/precompiled.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const OUT = join(DIST, 'bundle', 'protect.js');

/** esbuild's options; the bundle test builds with them too and compares the result to the file. */
export function bundleOptions() {
  return {
    entryPoints: [join(DIST, 'cli', 'entry.js')],
    // Paths in the bundle's comments are relative to the package, wherever the build runs.
    absWorkingDir: resolve(DIST, '..'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // npm dependencies (yargs, smol-toml, ora) stay imports, resolved from node_modules as before.
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [otherCommandsStayOut],
  };
}

/**
 * The command table imports each command's module on demand; in this bundle only
 * protect's is ever run. The others stay imports of their dist/ modules (never
 * followed: the bin loads the bundle only for `protect`).
 */
const otherCommandsStayOut = {
  name: 'other-commands-stay-out',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
      if (args.importer !== join(DIST, 'cli', 'commands', 'index.js') || args.path === './protect.js') return undefined;
      return { path: `../cli/commands/${args.path.slice(2)}`, external: true };
    });
  },
};

/**
 * Modules find their data next to themselves (`new URL('../default-rules.json',
 * import.meta.url)`): the bundle sits two levels down like dist/cli/*.js, so such paths
 * resolve the same from it. A module at another depth that does this would find the
 * wrong file once bundled: the build stops rather than ship that.
 */
function misplacedLocators(metafile) {
  return Object.keys(metafile.inputs)
    .map((file) => relative(DIST, resolve(DIST, '..', file)))
    .filter((file) => file.split('/').length !== 2 && readFileSync(join(DIST, file), 'utf8').includes('import.meta.url'));
}

/**
 * The bundle's text and esbuild's account of its inputs. ASCII only: esbuild escapes
 * non-ASCII characters in strings but keeps them in comments (`→`, `…`), and one of them
 * makes V8 hold and scan the whole file as a two-byte string.
 */
export async function buildBundle() {
  const result = await esbuild.build({ ...bundleOptions(), outfile: OUT, write: false });
  const text = escapeNonAscii(result.outputFiles[0].text);
  return { text, metafile: result.metafile };
}

async function main() {
  const { text, metafile } = await buildBundle();
  const misplaced = misplacedLocators(metafile);
  if (misplaced.length > 0) throw new Error(`modules that locate files from import.meta.url would move: ${misplaced.join(', ')}`);
  mkdirSync(dirname(OUT), { recursive: true });
  const tmp = `${OUT}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, OUT);
  } finally {
    rmSync(tmp, { force: true });
  }
  process.stdout.write(`bundle-protect: ${Object.keys(metafile.inputs).length} modules -> ${OUT} (${Math.round(text.length / 1024)} KB)\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`bundle-protect: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
