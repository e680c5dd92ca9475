import type { BuildOptions } from 'esbuild-wasm';

/** esbuild's options for dist/bundle/protect.js (see bundle-protect.js). */
export function bundleOptions(): BuildOptions & { metafile: true };
