import { describe, expect, it } from 'vitest';
import { credentialFileKind, isEnvTemplate, needsContent } from '../../src/hygiene/credential-files.js';
import {
  certificatePem, dockerConfigWithAuth, dockerConfigWithStore, gitCredentials, kubeconfigWithExec, kubeconfigWithToken,
  netrcWithPassword, npmrcWithEnvReference, npmrcWithToken, privateKeyPem, pypircWithPassword, serviceAccountJson,
} from '../helpers/credential-files.js';

describe('credentialFileKind by name', () => {
  const byName: [string, string][] = [
    ['.env', 'dotenv'],
    ['.env.local', 'dotenv'],
    ['.env.development', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['.env.production.local', 'dotenv'],
    ['services/api/.env', 'dotenv'],
    ['config/prod.env', 'dotenv'],
    ['.env.keys', 'dotenv'],
    ['C:\\repo\\.env', 'dotenv'],
    ['deploy/server.pem', 'private-key'],
    ['tls.key', 'private-key'],
    ['home/.ssh/id_rsa', 'ssh-private-key'],
    ['id_dsa', 'ssh-private-key'],
    ['id_ecdsa', 'ssh-private-key'],
    ['id_ed25519', 'ssh-private-key'],
    ['putty/server.ppk', 'putty-private-key'],
    ['.pgpass', 'pgpass'],
    ['cert/store.p12', 'keystore'],
    ['cert/store.pfx', 'keystore'],
    ['android/release.jks', 'keystore'],
    ['android/release.keystore', 'keystore'],
    ['credentials.json', 'credentials-json'],
    ['deploy/.aws/credentials', 'aws-credentials'],
    ['.aws/credentials', 'aws-credentials'],
    ['infra/terraform.tfstate', 'terraform-state'],
    ['infra/terraform.tfstate.backup', 'terraform-state'],
    ['infra/prod.tfvars', 'terraform-vars'],
  ];
  it.each(byName)('%s is %s', (path, kind) => {
    expect(credentialFileKind(path)?.kind).toBe(kind);
  });

  const notCredentials = [
    '.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.local.example',
    'example.env', 'services/api/.env.example', '.env.vault', '.envrc', 'environment.ts', 'src/env.ts',
    'id_rsa.pub', 'id_ed25519.pub', 'README.md', 'package.json', 'credentials.ts', '.aws/config',
    'terraform.tfvars.example', 'keys.txt', '.npmrc', '.netrc', 'kubeconfig',
  ];
  it.each(notCredentials)('%s is not a credential file by name alone', (path) => {
    expect(credentialFileKind(path)).toBeUndefined();
  });

  it('gives every kind a severity and a reason', () => {
    for (const [path] of byName) {
      const k = credentialFileKind(path)!;
      expect(['high', 'medium', 'low']).toContain(k.severity);
      expect(k.why.length).toBeGreaterThan(20);
    }
  });

  it('tells templates apart', () => {
    expect(isEnvTemplate('.env.example')).toBe(true);
    expect(isEnvTemplate('app/.env.production.sample')).toBe(true);
    expect(isEnvTemplate('.env.production')).toBe(false);
    expect(isEnvTemplate('README.example')).toBe(false);
  });
});

describe('credentialFileKind by content', () => {
  const cases: { path: string; content: string; kind: string | undefined }[] = [
    { path: '.npmrc', content: npmrcWithToken(), kind: 'npmrc-token' },
    { path: '.npmrc', content: npmrcWithEnvReference(), kind: undefined },
    { path: '.npmrc', content: 'registry=https://registry.npmjs.org/\n', kind: undefined },
    { path: 'pkg/.pypirc', content: pypircWithPassword(), kind: 'pypirc-password' },
    { path: '.pypirc', content: '[pypi]\nusername = __token__\n', kind: undefined },
    { path: '.netrc', content: netrcWithPassword(), kind: 'netrc-password' },
    { path: '.netrc', content: 'machine git.example.com login someone\n', kind: undefined },
    { path: '.git-credentials', content: gitCredentials(), kind: 'git-credentials' },
    { path: '.git-credentials', content: 'https://git.example.com\n', kind: undefined },
    { path: 'ci/.docker/config.json', content: dockerConfigWithAuth(), kind: 'docker-auth' },
    { path: '.docker/config.json', content: dockerConfigWithStore(), kind: undefined },
    { path: 'deploy/kubeconfig', content: kubeconfigWithToken(), kind: 'kubeconfig-credentials' },
    { path: 'cluster.kubeconfig', content: kubeconfigWithToken('k2'), kind: 'kubeconfig-credentials' },
    { path: '.kube/config', content: kubeconfigWithToken('k3'), kind: 'kubeconfig-credentials' },
    { path: 'deploy/kubeconfig', content: kubeconfigWithExec(), kind: undefined },
    { path: 'keys/my-project-0123456789ab.json', content: serviceAccountJson(), kind: 'service-account-key' },
    { path: 'package.json', content: '{"name": "x", "type": "module"}\n', kind: undefined },
    { path: 'ca/root.pem', content: certificatePem(), kind: undefined },
    { path: 'tls/server.pem', content: privateKeyPem(), kind: 'private-key' },
    { path: 'tls/bundle.pem', content: certificatePem() + privateKeyPem(), kind: 'private-key' },
  ];
  it.each(cases)('$path → $kind', ({ path, content, kind }) => {
    expect(credentialFileKind(path, content)?.kind).toBe(kind);
  });

  it('says when content matters, and reports nothing for such a file without it', () => {
    for (const p of ['.npmrc', '.pypirc', '.netrc', '.git-credentials', 'a.json', '.docker/config.json', 'kubeconfig', 'x.pem']) {
      expect(needsContent(p), p).toBe(true);
    }
    for (const p of ['.env', 'id_rsa', 'README.md', 'src/index.ts']) expect(needsContent(p), p).toBe(false);
    expect(credentialFileKind('.npmrc')).toBeUndefined();
    expect(credentialFileKind('x.pem')?.kind).toBe('private-key');
  });

  it('keeps templates out whatever they contain', () => {
    expect(credentialFileKind('.env.example', 'API_KEY=changeme\n')).toBeUndefined();
  });
});
