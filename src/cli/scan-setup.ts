import { loadConfig } from '../config/load.js';
import { chooseConfig, readBaseline, readIgnoreLists, scanRoot, type ConfigChoice } from '../config/discover.js';
import type { Config } from '../config/rule.js';
import type { FilterOptions } from '../filters/index.js';
import type { Io } from './io.js';
import type { Args } from './options.js';

/** Everything a scanning command decides before it reads a byte. */
export interface ScanSetup {
  /** Where config and ignore files are looked for: the scanned directory (a file's directory). */
  root: string;
  config: Config;
  configChoice: ConfigChoice;
  filterOptions: FilterOptions;
  /** Ignore files and baseline in use, for --verbose and report metadata. */
  suppressionSources: string[];
}

/**
 * Config, ignore files, baseline and directive switches for a scan of `target`, from the
 * flags shared by every scanning command (detect, protect, baseline, history scans).
 */
export function prepareScan(args: Args, io: Io, target: string): ScanSetup {
  const root = scanRoot(target);
  const configChoice = chooseConfig(root, args.config as string | undefined, io.env, io.cwd);
  const config = { ...loadConfig(configChoice.path), origin: configChoice.origin };
  const ignoreLists = readIgnoreLists(root, args['ignore-path'] as string | undefined, io.cwd);
  const baselinePath = args['baseline-path'] as string | undefined;
  const baseline = baselinePath === undefined || baselinePath === '' ? undefined : readBaseline(baselinePath, io.cwd);
  const suppressionSources = [
    ...ignoreLists.map((l) => `ignore file ${l.file} (${l.entries.size} entr${l.entries.size === 1 ? 'y' : 'ies'})`),
    ...(baseline ? [`baseline ${baseline.source} (${baseline.size} entr${baseline.size === 1 ? 'y' : 'ies'})`] : []),
  ];
  return {
    root,
    config,
    configChoice,
    filterOptions: {
      ignoreDirectives: args['ignore-directives'] === true,
      foreignDirectives: args['foreign-directives'] !== false,
      ignoreLists,
      baseline,
      explainAllowlisted: args.explain === true,
    },
    suppressionSources,
  };
}
