import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../report/write.js';

/**
 * Editing a project's package.json the way npm itself does: parse, change, and write back
 * with the file's own indent, line ending and final newline, keys in their order.
 */

export interface PackageJson {
  file: string;
  data: Record<string, unknown>;
  indent: string;
  eol: string;
  finalNewline: boolean;
}

export function readPackageJson(file: string): PackageJson {
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`, 'fix package.json, or use --hook-runner git');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`${file}: not a JSON object`, 'fix package.json, or use --hook-runner git');
  const indent = /^[ \t]*\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return { file, data: data as Record<string, unknown>, indent, eol: text.includes('\r\n') ? '\r\n' : '\n', finalNewline: /\n$/.test(text) };
}

export function writePackageJson(pkg: PackageJson): void {
  let text = JSON.stringify(pkg.data, null, pkg.indent);
  if (pkg.eol !== '\n') text = text.replace(/\n/g, pkg.eol);
  writeFileAtomic(pkg.file, pkg.finalNewline ? `${text}${pkg.eol}` : text);
}

/** The string map at `key` (scripts, devDependencies…), created when `create`. */
export function section(pkg: PackageJson, key: string, create: boolean): Record<string, string> | undefined {
  const v = pkg.data[key];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  if (!create) return undefined;
  const fresh: Record<string, string> = {};
  pkg.data[key] = fresh;
  return fresh;
}

export function hasDependency(pkg: PackageJson, name: string): boolean {
  return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => section(pkg, k, false)?.[name] !== undefined);
}
