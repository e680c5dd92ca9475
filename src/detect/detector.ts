import type { Allowlist, Config, Rule } from '../config/rule.js';
import type { Fragment } from '../sources/fragment.js';
import type { Finding } from './finding.js';
import { KeywordAutomaton, KeywordHits } from './aho-corasick.js';
import { shannonEntropy } from './entropy.js';
import { looksRandom } from './randomness.js';
import { verifyGithubChecksum } from './checksum.js';
import { LineIndex } from './location.js';
import { gitleaksFingerprint, stableFingerprint } from './fingerprint.js';
import { writtenPattern } from '../config/translate-regex.js';
import { detectEncoded, DECODE_TRIGGERS, type TriggerHit } from './decode.js';
import { isKeywordAnchored } from './anchor.js';

/**
 * How far around a keyword a rule's regex looks. Lines are the natural window; these
 * caps keep minified one-line bundles (megabytes on a line) linear: the regex never
 * sees more than a few kilobytes around each keyword, whatever the line length.
 */
const BEFORE_KEYWORD = 512;
const AFTER_KEYWORD = 2048;
const AFTER_KEYWORD_MULTILINE = 64 * 1024;
const MAX_WINDOW = 96 * 1024;
const EMPTY_HITS = new Int32Array(0);
/** How far past a hit's own bound a shared slice reaches (see runAtHits). */
const SHARED_SLICE = 1024;
/** Below this many characters, keywords are found without the automaton (see smallTextSearch). */
const SMALL_TEXT = 16 * 1024;

/** Matches anything: see the end of detect(). */
const FORGET_LAST_MATCH = /^/;

/** Paths whose path-allowlist answer a detector remembers. */
const PATH_CACHE = 20_000;
/** Values whose randomness verdict a detector remembers (a few MB at most). */
const RANDOMNESS_CACHE = 50_000;

/** Which allowlist dropped a match: for --explain and the summary's counts. */
export interface AllowlistHit {
  rule: Rule;
  allowlist: Allowlist;
  /** A global `[[allowlists]]` entry, or one of the rule's own. */
  global: boolean;
  /** Index among the rule's allowlists, or among the global ones. */
  index: number;
}

/**
 * What to do with each match an allowlist drops: a function is handed the whole finding
 * and the allowlist that dropped it (--explain); a counter is only counted up, and the
 * finding is then not built at all when the secret alone decides. Optional: without it
 * the matches are simply dropped.
 */
export type AllowlistedHandler = ((finding: Finding, hit: AllowlistHit) => void) | { count: number };

/**
 * Turns fragments into findings. Pure and synchronous: no file system, no output.
 * Cheapest checks first: path allowlist → keyword prefilter → regex → secret group →
 * entropy → checksum → allowlists.
 */
export class Detector {
  private readonly rules: Rule[];
  /** Built on the first large fragment: a pre-commit hook scanning a few KB never pays for it. */
  private automaton: KeywordAutomaton | undefined;
  /** Rule keywords, then decoder triggers: keyword ids index this list. */
  private readonly allKeywords: string[];
  /** keyword id → indexes of the rules that listed it. */
  private readonly keywordRules: number[][];
  /** Rules with no keywords: their regex runs on every fragment. */
  private readonly unkeyed: number[];
  /** Global allowlists whose only criterion is paths: checked once per fragment. */
  private readonly pathOnlyGlobals: Allowlist[];
  private readonly otherGlobals: Allowlist[];
  /** rule index → keyword hit offsets in the current fragment (emptied after each use). */
  private readonly hitsByRule: Int32Array[];
  /** rule index → how many offsets of hitsByRule[rule] belong to the current fragment. */
  private readonly hitCounts: Int32Array;
  /** Set for the duration of one detect() call, from its AllowlistedHandler. */
  private onAllowlisted: ((finding: Finding, hit: AllowlistHit) => void) | undefined;
  private allowlistedCounter: { count: number } | undefined;
  /** Keyword ids from here on are decoder triggers, not rule keywords. */
  private readonly firstTrigger: number;

  /** Keyword hits of the current fragment, reused from one fragment to the next. */
  private readonly keywordHits = new KeywordHits();

  /** The small-text keyword search; made on first use. */
  private smallSearch: SmallTextSearch | undefined;

  /**
   * Per rule: its sticky regex when anchored at its keywords, null when not, undefined
   * until first needed. Without match indices (the `d` flag), which cost an allocation
   * per group on every match and are needed only to place a secret among a diff's added
   * lines: for such fragments `stickyIndices` holds the sticky regex with them, and
   * globalRegex gives the rule's own regex.
   */
  private readonly sticky: (RegExp | null | undefined)[] = [];
  private readonly stickyIndices: (RegExp | undefined)[] = [];
  /**
   * Per rule: its global regex without match indices (see `sticky`), made on first use,
   * or all at once when a large scan sets up the automaton: made on first use there, the
   * making was code V8 had never run when it first optimised detect(), which it then
   * threw away and compiled again, once per scanning thread. (Making all 245 costs a few
   * milliseconds, which a pre-commit hook, with its handful of rules hit, does not pay.)
   */
  private readonly global: (RegExp | undefined)[] = [];

  /** Texts shorter than this are searched with indexOf (see findKeywords); tests set it to compare both paths. */
  private readonly smallText: number;

  /** False: every rule scans windows around its hits (tests compare both ways). */
  private readonly useAnchors: boolean;

  constructor(private readonly config: Config, options: { smallText?: number; anchors?: boolean } = {}) {
    this.smallText = options.smallText ?? SMALL_TEXT;
    this.useAnchors = options.anchors ?? true;
    this.rules = config.rules.map(sameShape);
    const ids = new Map<string, number>();
    this.keywordRules = [];
    this.unkeyed = [];
    this.rules.forEach((rule, ri) => {
      if (rule.keywords.length === 0) this.unkeyed.push(ri);
      for (const kw of rule.keywords) {
        let id = ids.get(kw);
        if (id === undefined) {
          id = ids.size;
          ids.set(kw, id);
          this.keywordRules.push([]);
        }
        this.keywordRules[id]!.push(ri);
      }
    });
    // Decoder triggers ride along in the same automaton, after the rule keywords.
    this.firstTrigger = ids.size;
    this.allKeywords = [...ids.keys(), ...DECODE_TRIGGERS.map((t) => t.needle)];
    this.hitsByRule = this.rules.map(() => EMPTY_HITS);
    this.hitCounts = new Int32Array(this.rules.length);
    const isPathOnly = (a: Allowlist) =>
      a.paths.length > 0 && a.regexes.length === 0 && a.stopwords.length === 0 && a.commits.length === 0 && a.targetRules.length === 0;
    this.pathOnlyGlobals = config.allowlists.filter(isPathOnly);
    this.otherGlobals = config.allowlists.filter((a) => !isPathOnly(a));
  }

  /** True when a global path allowlist excludes this path: sources may skip reading it. */
  isPathAllowed(filePath: string): boolean {
    let allowed = this.allowedPaths.get(filePath);
    if (allowed === undefined) {
      allowed = this.pathOnlyGlobals.some((a) => a.paths.some((p) => p.test(filePath)));
      // A history scan sees the same few thousand paths in thousands of commits.
      if (this.allowedPaths.size >= PATH_CACHE) this.allowedPaths.clear();
      this.allowedPaths.set(filePath, allowed);
    }
    return allowed;
  }

  /** isPathAllowed's answers, remembered per path (bounded like the randomness cache). */
  private readonly allowedPaths = new Map<string, boolean>();

  /** Findings in one fragment; matches an allowlist drops are reported to `onAllowlisted`. */
  detect(fragment: Fragment, onAllowlisted?: AllowlistedHandler): Finding[] {
    if (this.isPathAllowed(fragment.filePath)) return [];
    this.onAllowlisted = typeof onAllowlisted === 'function' ? onAllowlisted : undefined;
    this.allowlistedCounter = typeof onAllowlisted === 'object' ? onAllowlisted : undefined;
    const text = fragment.raw;
    // Keyword hits, per rule: positions where the rule's regex should look. The per-rule
    // lists are typed arrays reused from one fragment to the next (a Map per fragment, a
    // closure per hit, then growing JS arrays showed up in profiles on keyword-dense code).
    // Each count is reset once its rule has run, before the decoded-content pass below
    // calls detect() again, so that nested call starts from empty lists too.
    const hitsByRule = this.hitsByRule;
    const hitCounts = this.hitCounts;
    const touched: number[] = [];
    const keywordRules = this.keywordRules;
    const firstTrigger = this.firstTrigger;
    const triggers: TriggerHit[] = [];
    // The decoded-content pass calls detect() again: it gets its own hit list.
    const found = this.decoding ? new KeywordHits() : this.keywordHits;
    found.length = 0;
    this.findKeywords(text, found, searchEnd(fragment), fragment.bytes);
    const data = found.data;
    for (let h = 0; h < found.length; h += 2) {
      const kw = data[h]!;
      const at = data[h + 1]!;
      if (kw >= firstTrigger) {
        triggers.push({ trigger: kw - firstTrigger, at });
        continue;
      }
      const rules = keywordRules[kw]!;
      for (let k = 0; k < rules.length; k++) {
        const ri = rules[k]!;
        const n = hitCounts[ri]!;
        if (n === 0) touched.push(ri);
        let list = hitsByRule[ri]!;
        if (n === list.length) {
          list = new Int32Array(Math.max(64, n * 2));
          list.set(hitsByRule[ri]!);
          hitsByRule[ri] = list;
        }
        list[n] = at;
        hitCounts[ri] = n + 1;
      }
    }
    // Hits come unordered from the automaton's two streams; decoding wants them by position.
    triggers.sort((a, b) => a.at - b.at);
    // Rules in first-seen order, as the Map gave them before: findings are sorted below anyway.
    const findings: Finding[] = [];
    const lines = new LineIndex(text);
    // A path-only rule reports a file once: on its first fragment.
    const fragmentStart = fragment.startLine === 1;
    for (const ri of this.unkeyed) {
      const rule = this.rules[ri]!;
      if (rule.path && !rule.path.test(fragment.filePath)) continue;
      if (rule.pathOnly) {
        if (rule.path && fragmentStart) findings.push(this.pathFinding(rule, fragment));
        continue;
      }
      this.runRegex(rule, this.globalRegex(ri, fragment.addedLines !== undefined), fragment, text, [[0, text.length]], lines, findings);
    }
    for (const ri of touched) {
      const rule = this.rules[ri]!;
      const hits = hitsByRule[ri]!.subarray(0, hitCounts[ri]).sort();
      hitCounts[ri] = 0;
      if (rule.path && !rule.path.test(fragment.filePath)) continue;
      const after = rule.multiline ? AFTER_KEYWORD_MULTILINE : AFTER_KEYWORD;
      const indices = fragment.addedLines !== undefined;
      const sticky = this.stickyRegex(ri, indices);
      if (sticky) this.runAtHits(rule, sticky, fragment, text, hits, after, lines, findings);
      else this.runRegex(rule, this.globalRegex(ri, indices), fragment, text, windows(text, hits, after, lines), lines, findings);
    }
    // One encoding deep, never deeper: decoded text is scanned without decoding again.
    if (!this.decoding && triggers.length > 0) findings.push(...this.detectDecoded(fragment, triggers, findings, lines));
    // Stable order: by position, then rule id.
    findings.sort((a, b) => a.startLine - b.startLine || a.startColumn - b.startColumn || a.ruleId.localeCompare(b.ruleId));
    // V8 keeps the subject of the last regex match for RegExp.lastMatch; that subject is
    // often a slice of this fragment, which keeps the whole text alive until some other
    // regex runs. One match on a constant lets it go when the scan of it is done.
    FORGET_LAST_MATCH.test('-');
    return findings;
  }

  /**
   * Every occurrence of every keyword, ASCII case-insensitively. Small texts (a staged
   * change, a short file) are searched with one regex of keyword starts (smallTextSearch),
   * which needs little set-up; building the automaton costs tens of milliseconds and only
   * pays off on volume.
   */
  private findKeywords(whole: string, hits: KeywordHits, to: number, bytes: Uint8Array | undefined): void {
    if (this.automaton === undefined && whole.length < this.smallText) {
      const text = to < whole.length ? whole.slice(0, to) : whole;
      // Lower-case ASCII only, so offsets stay those of the original text (as in the automaton).
      // Pure ASCII text lower-cases the same either way, and toLowerCase is native.
      const nonAscii = /[^\x00-\x7f]/;
      const lower = nonAscii.test(text) ? text.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : text.toLowerCase();
      const search = (this.smallSearch ??= smallTextSearch(this.allKeywords));
      // The regex stops wherever some keyword starts; every keyword starting there is then checked.
      const re = search.starts;
      re.lastIndex = 0;
      for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
        const at = m.index;
        for (const id of search.byPair.get(lower.slice(at, at + 2)) ?? []) if (lower.startsWith(this.allKeywords[id]!, at)) hits.push(id, at);
        for (const id of search.single) if (lower.startsWith(this.allKeywords[id]!, at)) hits.push(id, at);
        re.lastIndex = at + 1;
      }
      const haystack = search.nonAscii.length > 0 ? text.toLowerCase() : '';
      for (const id of search.nonAscii) {
        const kw = this.allKeywords[id]!;
        for (let at = haystack.indexOf(kw); at >= 0; at = haystack.indexOf(kw, at + 1)) hits.push(id, at);
      }
      return;
    }
    const automaton = this.prepareForVolume();
    if (bytes !== undefined && bytes.length === whole.length) automaton.findBytes(bytes, hits, to);
    else automaton.find(whole, hits, to);
  }

  /**
   * The set-up a large scan needs: the keyword automaton (tens of milliseconds to build)
   * and the rules' regexes without match indices. Made on the first large fragment, or
   * ahead of the scan by a caller with nothing else to do (waiting for git to list a large tree).
   */
  prepareForVolume(): KeywordAutomaton {
    if (this.automaton === undefined) {
      this.automaton = new KeywordAutomaton(this.allKeywords);
      this.rules.forEach((rule, ri) => (this.global[ri] ??= withoutIndices(rule.regex)));
    }
    return this.automaton;
  }

  private decoding = false;

  /**
   * looksRandom, remembered per value. Code repeats the same candidates (`options.apiKey`,
   * `process.env.X`) thousands of times in a scan, and judging one costs microseconds.
   * Bounded: cleared when full, so memory stays flat however large the scan.
   */
  private readonly randomness = new Map<string, boolean>();

  private looksRandom(value: string): boolean {
    let verdict = this.randomness.get(value);
    if (verdict === undefined) {
      verdict = looksRandom(value);
      if (this.randomness.size >= RANDOMNESS_CACHE) this.randomness.clear();
      // The value is a slice of the fragment's text, and V8 keeps a slice's whole parent
      // alive: as a key it would hold every scanned file's text for the life of the scan.
      // Concatenation then slicing makes a copy of just the value.
      this.randomness.set((' ' + value).slice(1), verdict);
    }
    return verdict;
  }

  private detectDecoded(fragment: Fragment, triggers: TriggerHit[], plain: Finding[], lines: LineIndex): Finding[] {
    this.decoding = true;
    try {
      return detectEncoded(fragment, triggers, plain, (f) => this.detect(f), (offset) => {
        const line0 = lines.lineOf(offset);
        return { line: fragment.startLine + line0, column: offset - lines.lineStart(line0) + 1, text: lines.lineText(line0) };
      });
    } finally {
      this.decoding = false;
    }
  }

  /**
   * The rule's regex made sticky, when every match of it starts at one of its keywords
   * (see anchor.ts); null when not. The default rules carry the answer from the build
   * (Rule.anchored); for others it is worked out on the rule's first keyword hit, so a
   * scan pays only for the rules its text touches.
   */
  private stickyRegex(ri: number, indices: boolean): RegExp | null {
    let re = this.sticky[ri];
    const rule = this.rules[ri]!;
    if (re === undefined) {
      re = this.useAnchors && (rule.anchored ?? isKeywordAnchored(rule.regex, rule.keywords)) ? new RegExp(rule.regex.source, rule.regex.flags.replace(/[gd]/g, '') + 'y') : null;
      this.sticky[ri] = re;
    }
    if (re === null || !indices) return re;
    return (this.stickyIndices[ri] ??= new RegExp(rule.regex.source, rule.regex.flags.replace('g', '') + 'y'));
  }

  /** The rule's global regex, without match indices unless asked for them. */
  private globalRegex(ri: number, indices: boolean): RegExp {
    const rule = this.rules[ri]!;
    if (indices) return rule.regex;
    return (this.global[ri] ??= withoutIndices(rule.regex));
  }

  /**
   * An anchored rule's regex, tried at each keyword hit in turn. The same matches as a
   * global search (which could only succeed at a hit anyway), without scanning the text
   * in between. Each try sees at most `after` characters past its hit, as a window would,
   * so a regex's worst case stays bounded on a megabyte-long line.
   */
  private runAtHits(rule: Rule, re: RegExp, fragment: Fragment, text: string, hits: Int32Array, after: number, lines: LineIndex, out: Finding[]): void {
    let reportedEnd = -1;
    let sub = text;
    // The slice ends a little past what the current hit needs, so nearby hits share it.
    let subEnd = text.length <= after ? text.length : -1;
    for (let i = 0; i < hits.length; i++) {
      const at = hits[i]!;
      if (at < reportedEnd || (i > 0 && at === hits[i - 1])) continue;
      if (subEnd < text.length && subEnd < at + after) {
        subEnd = Math.min(text.length, at + after + SHARED_SLICE);
        sub = subEnd === text.length ? text : text.slice(0, subEnd);
      }
      // A match starts at its hit: from the next fragment's part on, the next fragment reports it.
      if (fragment.ownEnd !== undefined && at >= fragment.ownEnd) break;
      re.lastIndex = at;
      const m = re.exec(sub);
      if (m === null || m[0].length === 0) continue;
      reportedEnd = at + m[0].length;
      const finding = this.toFinding(rule, fragment, m, 0, lines);
      if (finding) out.push(finding);
    }
  }

  private runRegex(rule: Rule, re: RegExp, fragment: Fragment, text: string, spans: [number, number][], lines: LineIndex, out: Finding[]): void {
    // Windows may overlap (long merged spans are split); a match overlapping an earlier
    // one of the same rule is the same secret seen again.
    let reportedEnd = -1;
    for (const [ws, we] of spans) {
      const sub = ws === 0 && we === text.length ? text : text.slice(ws, we);
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(sub)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const start = ws + m.index;
        if (start < reportedEnd) continue;
        reportedEnd = start + m[0].length;
        if (fragment.ownEnd !== undefined && start >= fragment.ownEnd) continue;
        const finding = this.toFinding(rule, fragment, m, ws, lines);
        if (finding) out.push(finding);
      }
    }
  }

  private toFinding(rule: Rule, fragment: Fragment, m: RegExpExecArray, ws: number, lines: LineIndex): Finding | undefined {
    // gitleaks (detect/detect.go): without secretGroup, the first non-empty capture group is
    // the secret, so gitleaks configs whose rules capture without naming a group behave the same.
    const group = rule.secretGroup > 0 ? rule.secretGroup : firstNonEmptyGroup(m);
    const secret = group > 0 ? m[group] : m[0];
    if (secret === undefined || secret === '') return undefined;
    const matchStart = ws + m.index;
    const matchEnd = matchStart + m[0].length;
    const entropy = shannonEntropy(secret);
    if (rule.entropy > 0 && entropy <= rule.entropy) return undefined;
    if (rule.randomness && !this.looksRandom(secret)) return undefined;
    if (rule.checksum === 'github-crc32' && !verifyGithubChecksum(secret)) return undefined;
    // Most candidates of a generic rule die on a secret allowlist: decide that before
    // locating the match and building the finding (fingerprints, the line; 8,509 of them
    // on the benchmark tree, a twentieth of the scan). Only when nobody asked to be told
    // about allowlisted matches (--explain needs them whole), and for a diff only once
    // the match is known to touch an added line, below: only those are counted.
    if (!this.onAllowlisted && (!this.allowlistedCounter || !fragment.addedLines) && this.isSecretAllowed(rule, secret)) {
      if (this.allowlistedCounter) this.allowlistedCounter.count++;
      return undefined;
    }

    const startLine0 = lines.lineOf(matchStart);
    // The secret's own line decides "added line" checks for diffs; the match may begin with a key name on it.
    const secretStart = group > 0 && m.indices?.[group] ? ws + m.indices[group]![0] : matchStart;
    const lastChar = Math.max(matchStart, matchEnd - 1);
    const endLine0 = lines.lineOf(lastChar);
    const startLine = fragment.startLine + startLine0;
    const endLine = fragment.startLine + endLine0;
    if (fragment.addedLines) {
      const secretLine = fragment.startLine + lines.lineOf(secretStart);
      let touched = false;
      for (let l = Math.min(startLine, secretLine); l <= endLine && !touched; l++) touched = fragment.addedLines.has(l);
      if (!touched) return undefined;
    }
    const lineText = lines.lineText(startLine0);
    const columnShift = (fragment.startColumn ?? 1) - 1;
    const match = m[0];
    const commit = fragment.commit;
    const finding: Finding = {
      ruleId: rule.id,
      description: rule.description,
      startLine,
      endLine,
      // A fragment cut inside a long line starts mid-line: its first line's columns are shifted.
      startColumn: matchStart - lines.lineStart(startLine0) + 1 + (startLine0 === 0 ? columnShift : 0),
      endColumn: lastChar - lines.lineStart(endLine0) + 1 + (endLine0 === 0 ? columnShift : 0),
      match,
      secret,
      file: fragment.filePath,
      symlinkFile: fragment.symlinkFile ?? '',
      commit: commit?.sha ?? '',
      entropy,
      author: commit?.author ?? '',
      email: commit?.email ?? '',
      date: commit?.date ?? '',
      message: commit?.message ?? '',
      tags: rule.tags,
      fingerprint: gitleaksFingerprint(fragment.filePath, rule.id, startLine, commit?.sha),
      stableFingerprint: stableFingerprint(rule.id, secret, fragment.filePath),
      line: lineText.length > 4096 ? lineText.slice(Math.max(0, matchStart - lines.lineStart(startLine0) - 1024), matchEnd - lines.lineStart(startLine0) + 1024) : lineText,
    };
    const hit = this.allowedBy(rule, finding, commit?.sha);
    if (hit) {
      if (this.onAllowlisted) this.onAllowlisted(finding, hit);
      else if (this.allowlistedCounter) this.allowlistedCounter.count++;
      return undefined;
    }
    return finding;
  }

  private pathFinding(rule: Rule, fragment: Fragment): Finding {
    const commit = fragment.commit;
    return {
      ruleId: rule.id, description: rule.description, startLine: 1, endLine: 1, startColumn: 1, endColumn: 1,
      match: `file detected: ${fragment.filePath}`, secret: '', file: fragment.filePath, symlinkFile: fragment.symlinkFile ?? '',
      commit: commit?.sha ?? '', entropy: 0, author: commit?.author ?? '', email: commit?.email ?? '', date: commit?.date ?? '',
      message: commit?.message ?? '', tags: rule.tags,
      fingerprint: gitleaksFingerprint(fragment.filePath, rule.id, 1, commit?.sha),
      stableFingerprint: stableFingerprint(rule.id, '', fragment.filePath), line: '',
    };
  }

  /**
   * The part of the allowlists that needs only the secret: with condition OR one matching
   * criterion suffices, so a secret-target regex or a stopword decides alone.
   */
  private isSecretAllowed(rule: Rule, secret: string): boolean {
    let lower: string | undefined;
    const decides = (a: Allowlist) => {
      if (a.condition !== 'OR') return false;
      if (a.regexTarget === 'secret' && a.regexes.some((r) => r.test(secret))) return true;
      if (a.stopwords.length === 0) return false;
      lower ??= secret.toLowerCase();
      return a.stopwords.some((w) => lower!.includes(w));
    };
    for (const a of rule.allowlists) if (decides(a)) return true;
    for (const a of this.otherGlobals) {
      if (a.targetRules.length > 0 && !a.targetRules.includes(rule.id)) continue;
      if (decides(a)) return true;
    }
    return false;
  }

  private allowedBy(rule: Rule, f: Finding, commit: string | undefined): AllowlistHit | undefined {
    for (const [index, a] of rule.allowlists.entries()) if (allowlistMatches(a, f, commit)) return { rule, allowlist: a, global: false, index };
    for (const a of this.otherGlobals) {
      if (a.targetRules.length > 0 && !a.targetRules.includes(rule.id)) continue;
      if (allowlistMatches(a, f, commit)) return { rule, allowlist: a, global: true, index: this.config.allowlists.indexOf(a) };
    }
    return undefined;
  }
}

/**
 * How far into a fragment keywords are searched. A fragment of a large file reaches into
 * the next one (`ownEnd`), which sees that part again: only a keyword shortly past the
 * cut can still produce a match that starts before it, since a window never starts more
 * than BEFORE_KEYWORD before its keyword, and a decoder trigger looks back at most 1024
 * characters for its line. The text past the cut stays there for the matches to end in.
 * The one difference from searching the whole overlap: a `kind: Secret` trigger, which
 * decodes its whole fragment, is acted on in the fragment where it lies past this bound.
 */
const SEARCH_PAST_OWN_END = 2048;

function searchEnd(fragment: Fragment): number {
  const len = fragment.raw.length;
  return fragment.ownEnd === undefined ? len : Math.min(len, fragment.ownEnd + SEARCH_PAST_OWN_END);
}

/**
 * The rule with every field present, in one order. Rules come with or without a path,
 * checksum or samples, in as many object shapes; the detector reads a few fields of
 * the rule for every candidate, and each shape V8 had not yet seen there made it throw
 * away optimised code.
 */
function sameShape(rule: Rule): Rule {
  return {
    id: rule.id,
    description: rule.description,
    regex: rule.regex,
    secretGroup: rule.secretGroup,
    entropy: rule.entropy,
    keywords: rule.keywords,
    path: rule.path,
    tags: rule.tags,
    allowlists: rule.allowlists,
    samples: rule.samples,
    pathOnly: rule.pathOnly,
    multiline: rule.multiline,
    randomness: rule.randomness,
    checksum: rule.checksum,
    source: rule.source,
    anchored: rule.anchored,
  };
}

/** The regex without the `d` flag (match indices), which costs an allocation per group on every match. */
function withoutIndices(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace('d', ''));
}

/** Index of the first capture group that matched something, or 0. */
function firstNonEmptyGroup(m: RegExpExecArray): number {
  for (let g = 1; g < m.length; g++) if (m[g]) return g;
  return 0;
}

/** Does an allowlist match a finding? OR: any criterion that is set; AND: all that are set. */
export function allowlistMatches(a: Allowlist, f: Finding, commit: string | undefined): boolean {
  const target = a.regexTarget === 'match' ? f.match : a.regexTarget === 'line' ? f.line : f.secret;
  const checks: boolean[] = [];
  if (a.commits.length > 0) checks.push(commit !== undefined && a.commits.some((c) => c !== '' && commit.startsWith(c)));
  if (a.paths.length > 0) checks.push(a.paths.some((p) => p.test(f.file)));
  if (a.regexes.length > 0) checks.push(a.regexes.some((r) => r.test(target)));
  if (a.stopwords.length > 0) {
    const lower = f.secret.toLowerCase();
    checks.push(a.stopwords.some((w) => lower.includes(w)));
  }
  if (checks.length === 0) return false;
  return a.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

/**
 * The exact reason an allowlist dropped a finding, e.g.
 * `allowlist 1 of rule generic-api-key ("placeholders"): regexes /^x+$/ on the secret`.
 * Built only for --explain.
 */
export function describeAllowlistHit(hit: AllowlistHit, f: Finding): string {
  const a = hit.allowlist;
  const target = a.regexTarget === 'match' ? f.match : a.regexTarget === 'line' ? f.line : f.secret;
  const parts: string[] = [];
  const commit = f.commit || undefined;
  const c = commit === undefined ? undefined : a.commits.find((x) => x !== '' && commit.startsWith(x));
  if (c) parts.push(`commit ${c}`);
  const p = a.paths.find((r) => r.test(f.file));
  if (p) parts.push(`path '${writtenPattern(p)}'`);
  const r = a.regexes.find((x) => x.test(target));
  if (r) parts.push(`regex '${writtenPattern(r)}' on the ${a.regexTarget}`);
  const lower = f.secret.toLowerCase();
  const w = a.stopwords.find((x) => lower.includes(x));
  if (w) parts.push(`stopword "${w}"`);
  const which = hit.global
    ? `global allowlist ${hit.index + 1}${a.targetRules.length ? ` (targetRules ${a.targetRules.join(', ')})` : ''}`
    : `allowlist ${hit.index + 1} of rule ${hit.rule.id}`;
  return `${which}${a.description ? ` ("${a.description}")` : ''}: ${parts.join(a.condition === 'AND' ? ' and ' : ', ')}${a.condition === 'AND' ? ' (condition AND)' : ''}`;
}

/**
 * Keyword search for a short text (a staged change) without building the automaton: one
 * regex finds every position where some keyword starts, and the keywords sharing that
 * position's first two characters are checked there. Cold, at the start of a pre-commit
 * hook, this took 7 ms where an indexOf pass per keyword took 19 (ten 220-line files).
 */
interface SmallTextSearch {
  /** Zero-width, global: matches wherever an ASCII keyword starts. */
  starts: RegExp;
  /** Keywords by their first two characters. */
  byPair: Map<string, number[]>;
  /** One-character keywords. */
  single: number[];
  /** Keywords with non-ASCII characters: searched in the fully lower-cased text. */
  nonAscii: number[];
}

function smallTextSearch(keywords: readonly string[]): SmallTextSearch {
  const byPair = new Map<string, number[]>();
  const single: number[] = [];
  const nonAscii: number[] = [];
  const ascii = new Set<string>();
  keywords.forEach((k, id) => {
    if (/[^\x00-\x7f]/.test(k)) return void nonAscii.push(id);
    if (k.length === 0) return;
    ascii.add(k);
    if (k.length === 1) return void single.push(id);
    const pair = k.slice(0, 2);
    const list = byPair.get(pair);
    if (list) list.push(id);
    else byPair.set(pair, [id]);
  });
  const escaped = [...ascii].map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  // An empty alternation would match everywhere: with no ASCII keyword, match nowhere.
  const starts = new RegExp(escaped.length > 0 ? `(?=${escaped.join('|')})` : '(?!)', 'g');
  return { starts, byPair, single, nonAscii };
}

/**
 * Merged [start, end) windows around keyword hits: from the start of the keyword's line
 * to the end of the line after it, clamped so a very long line costs a bounded amount.
 * Line boundaries come from the fragment's LineIndex, built once and shared by every
 * rule: searching for them per rule and per hit (indexOf to the end of a minified line)
 * was the largest cost of a scan with a few hundred rules.
 */
export function windows(text: string, hits: number[] | Int32Array, after: number, lines: LineIndex = new LineIndex(text)): [number, number][] {
  // The detector passes its typed hit lists sorted already.
  if (Array.isArray(hits)) hits.sort((a, b) => a - b);
  const out: [number, number][] = [];
  const lastLine = lines.newlines;
  let last: [number, number] | undefined;
  for (const at of hits) {
    const ceil = Math.min(text.length, at + after);
    // Dense hits (a keyword repeated along a minified line) mostly fall inside the
    // current window: extend it without looking up lines again.
    if (last && at < last[1] && ceil - last[0] <= MAX_WINDOW) {
      if (ceil > last[1]) last[1] = Math.max(last[1], windowEnd(text, lines, lines.lineOf(at), lastLine, ceil, after));
      continue;
    }
    const line = lines.lineOf(at);
    const floor = Math.max(0, at - BEFORE_KEYWORD);
    // From the start of the line before the keyword's: a key often sits on the line above
    // its value (`<apiToken>⏎  value`); multi-line rules look back the whole bounded span
    // (a Kubernetes Secret's `data:` may come before its `kind: Secret`). gitleaks runs each
    // regex over the whole fragment, and its samples include both layouts.
    let ws = after > AFTER_KEYWORD ? floor : Math.max(line > 0 ? lines.lineStart(line - 1) : 0, floor);
    if (ws === floor && ws > 0) {
      // Cut mid-line by the bound: start at the next line start instead, when there is one before the keyword.
      const k = lines.lineOf(ws);
      if (k < lastLine && lines.lineStart(k + 1) - 1 < at) ws = lines.lineStart(k + 1);
    }
    const we = windowEnd(text, lines, line, lastLine, ceil, after);
    // Merge overlapping windows, but never into one larger than MAX_WINDOW: a regex's
    // worst case grows with its input, and a dense run of hits could otherwise make one
    // window the size of the file.
    if (last && ws <= last[1] && we - last[0] <= MAX_WINDOW) last[1] = Math.max(last[1], we);
    else if (!last || we > last[1]) out.push((last = [ws, we]));
  }
  return out;
}

/** End of the line after the keyword's line `line`, capped at `ceil`; multi-line rules get the whole span. */
function windowEnd(text: string, lines: LineIndex, line: number, lastLine: number, ceil: number, after: number): number {
  if (after > AFTER_KEYWORD) return ceil;
  // The newline ending `line` is the character before the next line's start.
  if (line >= lastLine) return ceil;
  const we = lines.lineStart(line + 1) - 1;
  if (we >= ceil) return ceil;
  // Include the next line: values often sit on the line below their key (YAML blocks, PEM bodies).
  const next = line + 1 >= lastLine ? text.length : lines.lineStart(line + 2) - 1;
  return Math.min(next, ceil);
}
