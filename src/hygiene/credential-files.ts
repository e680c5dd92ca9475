/**
 * Which files are credential files, by name and (for config files that may or may not hold
 * a credential) by content. Pure, synchronous and dependency-free: the pre-commit hook calls
 * it for every staged path, `keyscan hygiene` for every file in the index, on disk and in
 * history.
 */

/** How bad it is to have this file in git. */
export type Severity = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** What kind of credential file a path is, how serious committing it is, and why. */
export interface CredentialFile {
  /** Stable id of the kind, e.g. `dotenv`, `private-key`, `npmrc-token`. */
  kind: string;
  severity: Severity;
  /** One sentence a person can act on: what the file holds. */
  why: string;
}

/**
 * `.env` templates meant to be committed: they list the variable names with placeholder
 * values. The coverage check requires them to stay un-ignored.
 */
export const ENV_TEMPLATE_SUFFIXES = ['example', 'sample', 'template', 'dist', 'defaults'] as const;

/** Name segments that also mark a template (`.env.local.example`, `example.env`, `.env.tpl`). */
const TEMPLATE_SEGMENTS = new Set<string>([...ENV_TEMPLATE_SUFFIXES, 'tmpl', 'tpl']);

/**
 * dotenv-vault's encrypted `.env.vault` is designed to be committed; its keys live in
 * `.env.keys`, which is not (dotenv.org/docs/security/env-vault).
 */
const COMMITTABLE_ENV_NAMES = new Set(['.env.vault']);

const SSH_PRIVATE_KEY_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk']);

/** Key stores: binary containers of private keys, usually with a weak or known password. */
const KEYSTORE_EXTENSIONS = new Set(['p12', 'pfx', 'jks', 'keystore']);

/**
 * Names whose content decides: they are ordinary config files unless they hold a secret
 * (an `.npmrc` may only set a registry, a `.netrc` may only name a login).
 */
const CONTENT_DECIDES = new Set(['.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials']);

/** Path with `/` separators, for matching (`\` is accepted for Windows callers). */
function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

function baseNameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

/** `.env`, `.env.<anything>` or `<anything>.env` (case-insensitive), templates included. */
export function isEnvFileName(path: string): boolean {
  const name = baseNameOf(normalize(path)).toLowerCase();
  return name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4);
}

/** A `.env` template meant to be shared (`.env.example`, `.env.sample`, `example.env`…). */
export function isEnvTemplate(path: string): boolean {
  if (!isEnvFileName(path)) return false;
  const name = baseNameOf(normalize(path)).toLowerCase();
  return name.split('.').some((segment) => TEMPLATE_SEGMENTS.has(segment));
}

/**
 * Whether the content can change `credentialFileKind`'s verdict for this path, so a caller
 * should read it and pass it. For `.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, JSON
 * and kubeconfig files the content decides: without it they are not reported. For `*.pem`
 * and `*.key` it only clears files that hold nothing but certificates or public keys.
 */
export function needsContent(path: string): boolean {
  const p = normalize(path).toLowerCase();
  const name = baseNameOf(p);
  if (CONTENT_DECIDES.has(name)) return true;
  const ext = extensionOf(name);
  if (ext === 'pem' || ext === 'key') return true;
  if (name.endsWith('.json')) return true; // service-account keys, .docker/config.json
  return isKubeconfigName(p);
}

/** Kubeconfig by name: `kubeconfig`, `*.kubeconfig`, `kubeconfig*.yaml`, `.kube/config`. */
function isKubeconfigName(lowerPath: string): boolean {
  const name = baseNameOf(lowerPath);
  if (lowerPath === '.kube/config' || lowerPath.endsWith('/.kube/config')) return true;
  return name === 'kubeconfig' || name.endsWith('.kubeconfig') || /^kubeconfig[^/]*\.ya?ml$/.test(name) || /^kube-?config$/.test(name);
}

/**
 * Classify a path as a credential file, or return undefined when it is not one. `content`
 * (the file's text; the first megabyte is enough) decides for config files that may or may
 * not hold a credential (see `needsContent`), and clears a `.pem` holding only certificates.
 * Templates (`.env.example`…) are never credential files.
 */
export function credentialFileKind(path: string, content?: string): CredentialFile | undefined {
  const p = normalize(path);
  const lower = p.toLowerCase();
  const name = baseNameOf(lower);
  const ext = extensionOf(name);

  if (isEnvFileName(p)) {
    if (isEnvTemplate(p) || COMMITTABLE_ENV_NAMES.has(name)) return undefined;
    return { kind: 'dotenv', severity: 'high', why: `${name} files hold an application's real configuration values: API keys, database passwords, tokens` };
  }
  if (SSH_PRIVATE_KEY_NAMES.has(name)) {
    return { kind: 'ssh-private-key', severity: 'high', why: 'an SSH private key: whoever has it logs in as its owner wherever the public key is authorised' };
  }
  if (ext === 'pem' || ext === 'key') {
    if (content !== undefined && !/PRIVATE KEY/.test(content) && /-----BEGIN (CERTIFICATE|PUBLIC KEY|X509 CRL)/.test(content)) return undefined;
    return { kind: 'private-key', severity: 'high', why: `*.${ext} files usually hold a private key (TLS, signing, SSH): whoever has it can impersonate its owner` };
  }
  if (ext === 'ppk') {
    return { kind: 'putty-private-key', severity: 'high', why: 'a PuTTY private key: whoever has it logs in as its owner wherever the public key is authorised' };
  }
  if (name === '.pgpass') {
    // postgresql.org/docs/current/libpq-pgpass.html: host:port:database:user:password per line.
    return { kind: 'pgpass', severity: 'high', why: '.pgpass holds PostgreSQL passwords in plain text' };
  }
  if (KEYSTORE_EXTENSIONS.has(ext)) {
    return { kind: 'keystore', severity: 'high', why: `*.${ext} key stores hold private keys, protected only by a password that is often weak or committed alongside` };
  }
  if (lower === '.aws/credentials' || lower.endsWith('/.aws/credentials')) {
    return { kind: 'aws-credentials', severity: 'high', why: 'the AWS CLI credentials file holds access keys in plain text' };
  }
  if (name === 'credentials.json') {
    return { kind: 'credentials-json', severity: 'high', why: 'credentials.json is the conventional name for OAuth client secrets and cloud keys (Google APIs)' };
  }
  if (name === 'terraform.tfstate' || ext === 'tfstate' || name.endsWith('.tfstate.backup')) {
    // developer.hashicorp.com/terraform/language/state/sensitive-data
    return { kind: 'terraform-state', severity: 'high', why: 'Terraform state stores every resource attribute in plain text, passwords and keys included' };
  }
  if (ext === 'tfvars') {
    return { kind: 'terraform-vars', severity: 'medium', why: '*.tfvars files set Terraform variables, typically the secret ones kept out of the code' };
  }
  if (content === undefined) return undefined;

  switch (name) {
    case '.npmrc':
      // docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration
      return hasLiteralSetting(content, /(?:^|:)(?:_authToken|_auth|_password)\s*=\s*(.*)$/i)
        ? { kind: 'npmrc-token', severity: 'high', why: '.npmrc holds a registry auth token or password: whoever has it publishes packages as you' }
        : undefined;
    case '.pypirc':
      // packaging.python.org/en/latest/specifications/pypirc/
      return hasLiteralSetting(content, /^\s*password\s*[=:]\s*(.*)$/i)
        ? { kind: 'pypirc-password', severity: 'high', why: '.pypirc holds a package index password or API token: whoever has it uploads releases as you' }
        : undefined;
    case '.netrc':
    case '_netrc':
      // A netrc is `machine <host> login <user> password <secret>` tokens, on one or many lines.
      return /(?:^|\s)password\s+\S/.test(content)
        ? { kind: 'netrc-password', severity: 'high', why: '.netrc holds passwords for the hosts it names (git, curl and ftp read it)' }
        : undefined;
    case '.git-credentials':
      // git-scm.com/docs/git-credential-store#_storage_format: https://user:pass@host
      return /[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:[^@\s]+@/i.test(content)
        ? { kind: 'git-credentials', severity: 'high', why: '.git-credentials stores git passwords and tokens in plain text' }
        : undefined;
  }
  if (name.endsWith('.json')) {
    if (isServiceAccountKey(content)) {
      return { kind: 'service-account-key', severity: 'high', why: 'a Google Cloud service-account key: its private key grants the account\'s permissions' };
    }
    if (name === 'config.json' && (lower === '.docker/config.json' || lower.endsWith('/.docker/config.json')) && hasDockerAuth(content)) {
      // docs.docker.com/reference/cli/docker/login/#credential-stores: without a store, auths hold base64 user:password.
      return { kind: 'docker-auth', severity: 'high', why: '.docker/config.json holds registry logins (base64 user:password) under "auths"' };
    }
    return undefined;
  }
  if (isKubeconfigName(lower) && /^\s*(?:token|client-key-data|client-key|password)\s*:\s*\S/m.test(content)) {
    return { kind: 'kubeconfig-credentials', severity: 'high', why: 'a kubeconfig with a token or client key: whoever has it acts on the cluster as that user' };
  }
  return undefined;
}

/** Some line sets the key to a literal value (not empty, not a `${VAR}` reference). */
function hasLiteralSetting(content: string, setting: RegExp): boolean {
  for (const line of content.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line)) continue;
    const m = setting.exec(line);
    if (!m) continue;
    const value = (m[1] ?? '').trim().replace(/^["']|["']$/g, '');
    if (value !== '' && !value.startsWith('$')) return true;
  }
  return false;
}

/** cloud.google.com/iam/docs/keys-create-delete: `"type": "service_account"` with a `private_key`. */
function isServiceAccountKey(content: string): boolean {
  return /"type"\s*:\s*"service_account"/.test(content) && /"private_key"\s*:\s*"[^"]/.test(content);
}

/** An `"auth": "<non-empty>"` or `"identitytoken"` entry (a credential store keeps them out of the file). */
function hasDockerAuth(content: string): boolean {
  return /"auths"\s*:/.test(content) && /"(?:auth|identitytoken|password)"\s*:\s*"[^"]/i.test(content);
}
