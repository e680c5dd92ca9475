/**
 * What the bin runs: the CLI, and the flush of its output before it exits. One module
 * with both, so that the pre-commit hook's single-file build of it (dist/bundle/protect.js,
 * see scripts/bundle-protect.js) is a drop-in replacement with the same exports.
 */
export { run } from './run.js';
export { flushOutput } from './io.js';
