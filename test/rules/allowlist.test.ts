import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import type { Finding } from '../../src/detect/finding.js';
import { SeededRandom } from '../../src/config/rule-samples.js';
import { fakeAwsAccessKeyId, fakeGenericSecret, fakeGithubToken } from '../helpers/secrets.js';

/** The default global allowlists (rules/allowlist.toml), on in-memory fragments. */
const config = loadDefaultConfig();
const detector = new Detector(config);
const scan = (raw: string, filePath = 'src/app.env'): Finding[] => detector.detect({ raw, filePath, startLine: 1 });

describe('default path allowlist', () => {
  const token = fakeGithubToken('allowlist-path');
  const content = `{"token": "${token}"}\n`;

  it('finds the token in an ordinary file (the control)', () => {
    expect(scan(content, 'config/settings.json').map((f) => f.ruleId)).toContain('github-pat');
  });

  it.each([
    'package-lock.json', 'web/npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb', 'deno.lock',
    'Cargo.lock', 'go.sum', 'poetry.lock', 'Pipfile.lock', 'composer.lock', 'Gemfile.lock',
    'assets/logo.png', 'assets/photo.JPG', 'fonts/inter.woff2', 'fonts/a.ttf', 'dist/bundle.js.map', 'styles/app.css.map',
    'release.zip', 'pkg.tar.gz', 'lib/app.jar',
    'node_modules/left-pad/index.js', 'packages/web/node_modules/x/config.json', 'vendor/github.com/x/y.go', 'app/vendor/lib.php',
    '.yarn/releases/yarn-4.17.0.cjs', 'tools/.yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs',
  ])('skips %s by path (the file source need not read it)', (path) => {
    expect(detector.isPathAllowed(path)).toBe(true);
    expect(scan(content, path)).toEqual([]);
  });

  it.each(['src/package-lock.json.ts', 'docs/vendors.md', 'src/go.summary', 'src/mapper.ts', 'my_node_modules.txt', '.yarnrc.yml', '.yarn/constraints.pro', 'src/yarn/releases/notes.md'])('still scans %s', (path) => {
    expect(detector.isPathAllowed(path)).toBe(false);
    expect(scan(content, path).map((f) => f.ruleId)).toContain('github-pat');
  });
});

describe('default placeholder allowlist', () => {
  const secret = fakeGenericSecret('allowlist-control', 32);

  it('reports a real-looking generic secret (the control)', () => {
    expect(scan(`API_KEY=${secret}\n`).map((f) => f.ruleId)).toEqual(['generic-api-key']);
    expect(scan(`url = "https://deploy:${secret}@registry.acme.io"\n`).map((f) => f.ruleId)).toEqual(['url-basic-auth']);
  });

  it.each([
    'API_KEY=${API_KEY}',
    'API_KEY=$API_KEY_FROM_ENVIRONMENT',
    'api_key: {{ api_key_from_vault }}',
    'token: ${{ secrets.DEPLOY_TOKEN }}',
    'set API_KEY=%SERVICE_API_KEY_VALUE%',
    'API_KEY=<YOUR_API_KEY_GOES_HERE>',
    'API_KEY=your-api-key-here',
    'API_KEY=YOUR_SERVICE_API_KEY',
    'API_KEY=insert_the_key_here',
    'API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'API_KEY=XXXXXXXXXXXXXXXX12345678',
    'API_KEY=********************************',
    'SECRET=changeme-before-deploying-please',
    'password: Change_Me_Now_2024!',
    'url = "https://deploy:${REGISTRY_PASSWORD}@registry.acme.io"',
    'url = "https://deploy:%REGISTRY_PASSWORD%@registry.acme.io"',
    'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app_test',
    'BROKER_URL=amqp://guest:guest@localhost:5672//',
    'see https://deploy:Zq8vR2mK9tLx4wPb@docs.example.com/v2/ in the guide',
    'DATABASE_URL=postgres://app:Zq8vR2mK9tLx4wPb@db.test:5432/app',
    ' * A remote such as https://user:token@host keeps only the host.',
    'git remote add origin https://deploy:Zq8vR2mK9tLx4wPb@your-git-server/acme.git',
  ])('keeps quiet on %s', (line) => {
    expect(scan(`${line}\n`)).toEqual([]);
  });

  it('allows documented example keys and values ending in EXAMPLE', () => {
    expect(scan('aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n')).toEqual([]);
    const fakeExample = `AKIA${new SeededRandom('example').pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 9)}EXAMPLE`;
    expect(scan(`aws_access_key_id = ${fakeExample}\n`)).toEqual([]);
    // The control: a generated key id without the marker is found.
    expect(scan(`aws_access_key_id = ${fakeAwsAccessKeyId('allowlist')}\n`).map((f) => f.ruleId)).toEqual(['aws-access-key-id']);
  });
});

describe('generic rule on ordinary code', () => {
  // Lines that name a secret but hold none: the noise issue 7 lists.
  it.each([
    'const apiKey = process.env.SERVICE_API_KEY;',
    "api_key = os.getenv('SERVICE_API_KEY')",
    "token = os.environ['GITHUB_TOKEN']",
    'String secret = System.getenv("APP_SECRET");',
    'const key = import.meta.env.VITE_PUBLIC_KEY;',
    'apiKey: string;',
    'password?: string | undefined;',
    'def authenticate(token: Optional[str] = None):',
    'SECRET_KEY_NAME = "STRIPE_SECRET_KEY_PRODUCTION"',
    'secret_name = "prod/payments/stripe-api-key"',
    'public_key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"',
    'request_id = "123e4567-e89b-12d3-a456-426614174000"',
    'api_key = "123e4567-e89b-12d3-a456-426614174000"',
    'token_url = "https://oauth2.googleapis.com/token"',
    'const token = await getAccessTokenFromCache(user);',
    'password_hint: "Use at least twelve characters"',
    '"passwordLabel": "Mot de passe oublié ?",',
    'TOKEN_FILE=./secrets/service-token.txt',
    'secret: a1b2c3d4e5f6g7h8i9j0',
    'key = "dev-key-12345"',
    'csrf_token = request.cookies.get("csrftoken")',
    'keyboardShortcutToken = "ctrl-shift-alt-delete"',
    '"master-keying:x64-uwp=fail"',
    'Secrets: cmp2-qat-1208358310',
    '<dependency>token:jjwt-jackson-0.11.2</dependency>',
  ])('%s', (line) => {
    expect(scan(`${line}\n`, 'src/app.ts')).toEqual([]);
  });
});
