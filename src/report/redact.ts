import type { Finding } from '../detect/finding.js';

/**
 * Keep only a short, non-identifying prefix: a provider's fixed prefix (`ghp_`, `sk-proj-`,
 * `xoxb-`, `AKIA`) tells a reader what kind of key it was without giving any of it away.
 */
export function redactSecret(secret: string): string {
  if (secret === '') return '';
  const prefix = /^(?:[A-Za-z]{2,10}[_-](?:[A-Za-z]{2,8}[_-])?|AKIA|ASIA|AIza|eyJ)/.exec(secret)?.[0] ?? '';
  // Never keep more than a quarter of the secret.
  const keep = prefix.length <= secret.length / 4 ? prefix : '';
  return `${keep}…`;
}

/** A copy of the finding with the secret masked in every field that holds it. */
export function redactFinding(f: Finding): Finding {
  if (f.secret === '') return f;
  const masked = redactSecret(f.secret);
  return {
    ...f,
    secret: masked,
    match: f.match.split(f.secret).join(masked),
    line: f.line.split(f.secret).join(masked),
    decoded: f.decoded === undefined ? undefined : masked,
  };
}
