import type { BuildOptions, Metafile } from 'esbuild-wasm';

/** esbuild's options for dist/bundle/protect.js (see bundle-protect.js). */
export function bundleOptions(): BuildOptions & { metafile: true };
/** The bundle's text, as the build writes it, and esbuild's account of its inputs. */
export function buildBundle(): Promise<{ text: string; metafile: Metafile }>;
