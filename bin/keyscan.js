#!/usr/bin/env node
// The bin only hands argv to the CLI and sets the exit code; everything else lives in dist/cli.
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
// The pre-commit hook's command runs from its one-file build (scripts/bundle-protect.js):
// loading its ~45 modules one by one was a sixth of a commit's wait. Without the bundle
// (a build that skipped it), the modules themselves.
const bundle = new URL('../dist/bundle/protect.js', import.meta.url);
const { run, flushOutput } = await import(argv[0] === 'protect' && existsSync(bundle) ? bundle.href : '../dist/cli/entry.js');

const code = await run(argv);
// Exit once the output is written, without waiting for Node to tear down its heap and
// threads: about 9 ms of every run, a tenth of what the pre-commit hook adds to Node.
await flushOutput();
process.exit(code);
