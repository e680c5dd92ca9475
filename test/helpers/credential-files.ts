import { spawnSync } from 'node:child_process';
import { ALPHABETS, SeededRandom } from './random.js';
import { gitEnv } from './repo.js';

/**
 * Contents for credential *files* (`keyscan hygiene` tests), built at test time from seeded
 * random values. Markers that a secret rule might key on (PEM armour, token prefixes) are
 * assembled from parts, so this source file holds none of them literally and the repository
 * keeps scanning clean.
 */

const value = (seed: string, n = 32) => new SeededRandom(seed).pick(ALPHABETS.alnum!, n);
const b64 = (seed: string, n = 64) => new SeededRandom(seed).pick(ALPHABETS.base64!, n);

/** PEM armour for `label`, e.g. pem('PRIVATE KEY', …); the header is never a literal here. */
export function pem(label: string, seed = 'pem'): string {
  const dashes = '-'.repeat(5);
  const lines = [0, 1, 2].map((i) => b64(`${seed}-${i}`, 64));
  return [`${dashes}BEGIN ${label}${dashes}`, ...lines, `${dashes}END ${label}${dashes}`, ''].join('\n');
}

export const privateKeyPem = (seed = 'key') => pem(['PRIVATE', 'KEY'].join(' '), seed);
export const certificatePem = (seed = 'cert') => pem('CERTIFICATE', seed);

/** An .npmrc with a literal registry token (`_authToken=`). */
export function npmrcWithToken(seed = 'npmrc'): string {
  return `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:${'_auth'}Token=${value(seed, 36)}\n`;
}

/** An .npmrc whose token comes from the environment: not a credential file. */
export const npmrcWithEnvReference = (): string => `//registry.npmjs.org/:${'_auth'}Token=\${NPM_TOKEN}\n`;

export function pypircWithPassword(seed = 'pypirc'): string {
  return `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n${'pass'}word = ${value(seed, 40)}\n`;
}

export function netrcWithPassword(seed = 'netrc'): string {
  return `machine git.example.com login someone ${'pass'}word ${value(seed, 24)}\n`;
}

export function gitCredentials(seed = 'git-credentials'): string {
  return `https://someone:${value(seed, 24)}@git.example.com\n`;
}

export function dockerConfigWithAuth(seed = 'docker'): string {
  const auth = Buffer.from(`someone:${value(seed, 20)}`).toString('base64');
  return `${JSON.stringify({ auths: { 'registry.example.com': { auth } } }, null, 2)}\n`;
}

/** Docker config delegating to a credential store: no credential in the file. */
export const dockerConfigWithStore = (): string => `${JSON.stringify({ auths: { 'registry.example.com': {} }, credsStore: 'desktop' }, null, 2)}\n`;

export function kubeconfigWithToken(seed = 'kube'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    '    server: https://127.0.0.1:6443',
    'users:',
    '- name: someone',
    '  user:',
    `    ${'tok'}en: ${value(seed, 40)}`,
    '',
  ].join('\n');
}

/** A kubeconfig that gets its credentials from an exec plugin: not a credential file. */
export const kubeconfigWithExec = (): string => ['apiVersion: v1', 'kind: Config', 'users:', '- name: someone', '  user:', '    exec:', '      command: gcloud', ''].join('\n');

export function serviceAccountJson(seed = 'sa'): string {
  return `${JSON.stringify({
    type: ['service', 'account'].join('_'),
    project_id: 'example-project',
    private_key_id: new SeededRandom(seed).pick(ALPHABETS.hex!, 40),
    [['private', 'key'].join('_')]: privateKeyPem(seed),
    client_email: 'someone@example-project.iam.gserviceaccount.com',
  }, null, 2)}\n`;
}

/** A .env with generated, obviously fake values. */
export function dotenv(seed = 'env'): string {
  return `DATABASE_URL=postgres://app:${value(seed, 16)}@localhost/app\nFEATURE_FLAG=on\n`;
}

/** `git check-ignore` as the oracle: is `path` ignored by git's rules (tracked or not)? */
export function gitIgnores(dir: string, path: string): boolean {
  const res = spawnSync('git', ['check-ignore', '--no-index', '-q', '--', path], { cwd: dir, env: gitEnv() });
  if (res.status !== 0 && res.status !== 1) throw new Error(`git check-ignore failed: ${res.stderr.toString()}`);
  return res.status === 0;
}
