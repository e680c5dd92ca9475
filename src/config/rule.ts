/** Which text an allowlist's regexes are tested against. */
export type RegexTarget = 'secret' | 'match' | 'line';

/**
 * An allowlist (gitleaks' `[[allowlists]]` / `[[rules.allowlists]]`): a finding it
 * matches is dropped. With condition OR any one criterion suffices; with AND every
 * criterion that is set must match.
 */
export interface Allowlist {
  description: string;
  condition: 'OR' | 'AND';
  regexTarget: RegexTarget;
  regexes: RegExp[];
  paths: RegExp[];
  /** Lower-cased; a secret containing one is allowed. */
  stopwords: string[];
  commits: string[];
  /** Global allowlists only: the rules this one applies to (empty = all). */
  targetRules: string[];
}

/** Test samples a rule carries, run by the table-driven rule test and `keyscan rules --test`. */
export interface RuleSamples {
  /**
   * Templates of secrets this rule must find, e.g. `ghp_{alnum:36}`. Expanded with a
   * seeded generator and wrapped in several file syntaxes. A template containing «…»
   * is a whole line instead: the part between the guillemets is the expected secret.
   */
  positives: string[];
  /** Literal text this rule must not report. */
  negatives: string[];
  /** Variable name the wrappers assign positives to (default `value`). */
  name?: string;
  /** Set to false for secrets that only make sense raw (PEM blocks, URLs in prose). */
  wrap?: boolean;
  /** File path the samples are scanned as, for rules limited by `path` (default: one per syntax). */
  path?: string;
}

/** A validated, compiled rule. */
export interface Rule {
  id: string;
  description: string;
  regex: RegExp;
  /** Capture group holding the secret; 0 = the whole match. */
  secretGroup: number;
  /** Minimum Shannon entropy of the secret (0 = no check). */
  entropy: number;
  /** Lower-cased. The regex runs only where one of these occurs. Empty: runs everywhere. */
  keywords: string[];
  /** Only files whose path matches. */
  path?: RegExp;
  tags: string[];
  allowlists: Allowlist[];
  samples?: RuleSamples;
  /** No regex: the rule reports any file whose path matches (e.g. a keystore file). */
  pathOnly: boolean;
  /** The regex can span lines (PEM blocks): the detector gives it a larger window. */
  multiline: boolean;
  /**
   * The secret must look random (`src/detect/randomness.ts`): not a word, identifier, path,
   * URL, placeholder or typed sequence. For rules with no format of their own (issue 7).
   */
  randomness: boolean;
  /** Verify a checksum embedded in the secret before reporting it (e.g. GitHub's CRC32). */
  checksum?: 'github-crc32';
  /** File the rule was loaded from, for error messages. */
  source: string;
  /**
   * Every match starts where one of the keywords occurs (src/detect/anchor.ts), so the
   * detector tries the regex at its keyword hits only. Worked out at build time for the
   * default rules (precompile.ts); undefined elsewhere, and the detector works it out on
   * the rule's first keyword hit. false is always safe: the rule then scans windows.
   */
  anchored?: boolean;
}

/** Everything a scan needs to know about what to look for. */
export interface Config {
  rules: Rule[];
  allowlists: Allowlist[];
  /** Files the configuration was read from, in order, for --verbose and report metadata. */
  sources: string[];
  /** Default rules turned off by the repository's config. */
  disabledRules: string[];
  /** How many rules keyscan ships, when a config file was used (for "N of M default rules disabled"). */
  defaultRuleCount?: number;
  /** Why this config: `--config`, `KEYSCAN_CONFIG`, `.keyscan.toml`, `.gitleaks.toml`, `default rules`… */
  origin?: string;
}
