/**
 * One secret found. Field names follow gitleaks' report (camelCased here; the JSON
 * reporter writes gitleaks' exact names and order), so existing consumers keep working.
 */
export interface Finding {
  ruleId: string;
  description: string;
  /** 1-based. */
  startLine: number;
  endLine: number;
  /** 1-based, inclusive, in characters, like gitleaks. */
  startColumn: number;
  endColumn: number;
  /** The whole regex match. Holds the secret: redact before any output. */
  match: string;
  /** The secret itself (the rule's secret group). Never printed unless --no-redact. */
  secret: string;
  /** Path relative to the scan root, `/` separators. */
  file: string;
  symlinkFile: string;
  commit: string;
  /** Shannon entropy of `secret`, bits per character. */
  entropy: number;
  author: string;
  email: string;
  date: string;
  message: string;
  tags: string[];
  /** gitleaks-compatible: `file:rule:line`, or `commit:file:rule:line` for commits. */
  fingerprint: string;
  /**
   * keyscan's stable fingerprint: rule, a hash of the secret and the path. Survives line
   * moves and later commits, so it is what ignore files and baselines key on.
   */
  stableFingerprint: string;
  /** The full text of the line the match starts on (for directives and allowlists with regexTarget=line). */
  line: string;
  /** Set when the secret was found inside decoded content (base64, percent-encoding…). */
  decoded?: string;
}
