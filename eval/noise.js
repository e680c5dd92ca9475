// Files that hold no secret but look like they might: the noise issue 7 says must stay
// quiet. Every generator returns whole files; random-looking parts (hashes, ids, image
// data, public key bodies) are made at run time from the seeded generator.

import { createHash } from 'node:crypto';
import { ALPHABETS, choice } from './random.js';

const B64 = ALPHABETS.base64;
const hex = (rng, n) => rng.pick(ALPHABETS.hex, n);
const uuid = (rng) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${choice(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
const sha = (algo, s, enc = 'hex') => createHash(algo).update(s).digest(enc);
const pemBody = (rng, lines) => Array.from({ length: lines }, () => rng.pick(B64, 64)).join('\n');
const dashes = '-----';
const armor = (label, body) => `${dashes}BEGIN ${label}${dashes}\n${body}\n${dashes}END ${label}${dashes}\n`;

const PROVIDERS = ['OPENAI', 'ANTHROPIC', 'STRIPE', 'GITHUB', 'SLACK', 'TWILIO', 'SENDGRID', 'DATADOG', 'SENTRY', 'AWS', 'GOOGLE', 'AZURE', 'HUGGINGFACE', 'MAILGUN', 'NPM'];
const KINDS = ['API_KEY', 'SECRET_KEY', 'TOKEN', 'ACCESS_TOKEN', 'CLIENT_SECRET', 'PASSWORD', 'AUTH_TOKEN', 'WEBHOOK_SECRET'];

/** Each entry: a kind (for the report) and a generator of files. */
export const NOISE = [
  {
    kind: 'placeholders',
    files: (rng) => [
      { path: '.env.example', text: PROVIDERS.map((p, i) => `${p}_${KINDS[i % KINDS.length]}=${choice(rng, ['', 'changeme', 'your-key-here', `<your-${p.toLowerCase()}-key>`, 'xxxxxxxxxxxxxxxxxxxxxxxx', `\${${p}_${KINDS[i % KINDS.length]}}`, 'replace_me', 'TODO'])}`).join('\n') + '\n' },
      { path: 'config/settings.example.yaml', text: `api_key: "<YOUR_API_KEY>"\nsecret_key: "{{ secret_key }}"\npassword: "********"\ntoken: REPLACE_WITH_YOUR_TOKEN\nclient_secret: "%CLIENT_SECRET%"\ndb_password: changeme-in-production\nopenai_api_key: sk-...\nstripe_key: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\naws_secret_access_key: AWS_SECRET_ACCESS_KEY_HERE\n` },
      { path: 'docs/configuration.md', text: `## Keys\n\nSet \`api_key: your-api-key\` in \`config.yaml\`, or:\n\n\`\`\`sh\nexport OPENAI_API_KEY="sk-your-key"\nexport GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\ncurl -H "Authorization: Bearer $API_TOKEN" https://api.acme.io\ncurl -H "X-API-Key: <api-key>" https://api.acme.io/v1/items\n\`\`\`\n` },
      { path: 'app/settings_dev.py', text: `SECRET_KEY = "dev-key-12345"\nAPI_TOKEN = "test-token-1234567890"\nPASSWORD = "password123"\nJWT_SECRET = "my-super-secret-jwt-key"\nHMAC_SECRET_KEY = "not-a-real-secret-value"\nSIGNING_KEY = "a1b2c3d4e5f6a7b8c9d0"\nENCRYPTION_KEY = "0123456789abcdef0123456789abcdef"\nSESSION_KEY = "abcdefghijklmnopqrstuvwxyz"\n` },
    ],
  },
  {
    kind: 'environment lookups',
    files: () => [
      { path: 'src/client.js', text: `const apiKey = process.env.OPENAI_API_KEY;\nconst secret = process.env['STRIPE_SECRET_KEY'] ?? '';\nconst token = import.meta.env.VITE_API_TOKEN;\nexport const config = { apiKey, secret, token, password: process.env.DB_PASSWORD };\n` },
      { path: 'app/config.py', text: `import os\n\nSECRET_KEY = os.getenv("SECRET_KEY")\nAPI_KEY = os.environ["API_KEY"]\naccess_token = os.environ.get("ACCESS_TOKEN", "")\ndb_password = settings.DATABASE_PASSWORD\nclient_secret = config.get("oauth", "client_secret")\n` },
      { path: 'src/main/java/com/acme/Keys.java', text: `package com.acme;\n\nclass Keys {\n  static final String API_KEY = System.getenv("API_KEY");\n  static final String SECRET_TOKEN = System.getProperty("secret.token");\n  String password = env.getProperty("spring.datasource.password");\n}\n` },
      { path: 'cmd/server/main.go', text: `package main\n\nimport "os"\n\nvar apiKey = os.Getenv("API_KEY")\nvar secretToken, _ = os.LookupEnv("SECRET_TOKEN")\n` },
      { path: '.github/workflows/ci.yml', text: 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n      API_KEY: ${{ secrets.API_KEY }}\n      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n      SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK }}\n    steps:\n      - run: npm test\n' },
      { path: 'deploy/run.sh', text: `#!/bin/sh\nexport API_TOKEN="\${API_TOKEN:?set it}"\nPASSWORD=$(cat /run/secrets/db_password)\nSECRET_KEY="$(vault kv get -field=secret_key secret/app)"\ncurl -u "deploy:$DEPLOY_PASSWORD" https://releases.acme.io\n` },
      { path: 'config/app.rb', text: `API_KEY = ENV.fetch("API_KEY")\nSECRET_TOKEN = ENV['SECRET_TOKEN']\nconfig.password = Rails.application.credentials.db_password\n` },
      { path: 'src/Settings.cs', text: `var apiKey = Environment.GetEnvironmentVariable("API_KEY");\nvar secret = configuration["Jwt:SecretKey"];\n` },
      { path: 'config/app.php', text: `<?php\nreturn ['api_key' => env('API_KEY'), 'secret' => getenv('APP_SECRET'), 'password' => $_ENV['DB_PASSWORD']];\n` },
      { path: 'infra/main.tf', text: `variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\nresource "aws_db_instance" "main" {\n  password = var.db_password\n  username = "app"\n}\n\nlocals {\n  api_key = data.aws_secretsmanager_secret_version.api.secret_string\n}\n` },
    ],
  },
  {
    kind: 'ids and hashes',
    files: (rng) => [
      { path: 'fixtures/orders.json', text: JSON.stringify(Array.from({ length: 8 }, (_, i) => ({ id: uuid(rng), customerId: uuid(rng), requestId: hex(rng, 32), traceId: hex(rng, 32), spanId: hex(rng, 16), etag: `W/"${hex(rng, 40)}"`, index: i })), null, 2) + '\n' },
      { path: 'CHANGELOG.md', text: Array.from({ length: 10 }, (_, i) => `- fix: handle token refresh (${hex(rng, 40)})\n- feat: rotate api keys ([${hex(rng, 7)}](https://github.com/acme/app/commit/${hex(rng, 40)}))`).join('\n') + '\n' },
      { path: 'go.sum', text: Array.from({ length: 10 }, (_, i) => `github.com/acme/mod${i} v1.${i}.0 h1:${sha('sha256', `m${i}${rng.next()}`, 'base64')}\ngithub.com/acme/mod${i} v1.${i}.0/go.mod h1:${sha('sha256', `g${i}${rng.next()}`, 'base64')}`).join('\n') + '\n' },
      { path: 'checksums.txt', text: Array.from({ length: 6 }, (_, i) => `${sha('sha256', `f${i}${rng.next()}`)}  keyscan-${i}.tar.gz`).join('\n') + '\n' },
      { path: 'Dockerfile.base', text: `FROM node:20-alpine@sha256:${sha('sha256', String(rng.next()))}\nARG CACHE_KEY=${sha('sha1', String(rng.next()))}\nLABEL org.opencontainers.image.revision="${hex(rng, 40)}"\n` },
      { path: 'src/migrations/0042_tokens.py', text: `revision = "${hex(rng, 12)}"\ndown_revision = "${hex(rng, 12)}"\nchecksum = "${sha('md5', String(rng.next()))}"\ncommit_sha = "${hex(rng, 40)}"\ncontent_hash = "${sha('sha256', String(rng.next()))}"\nnonce = "${rng.pick(ALPHABETS.base64url, 22)}"\n` },
      { path: 'data/keys-index.yaml', text: `# which key signed each release\nreleases:\n  - version: 1.2.0\n    key_id: ${uuid(rng)}\n    fingerprint: ${hex(rng, 40).toUpperCase()}\n    token_id: ${uuid(rng)}\n    secret_name: prod/api/signing\n    secret_version: ${uuid(rng)}\n` },
    ],
  },
  {
    kind: 'lockfiles and SRI',
    files: (rng) => {
      const integrity = () => `sha512-${sha('sha512', String(rng.next()), 'base64')}`;
      const pkgs = ['token-bucket', 'secret-handshake', 'password-validator', 'jsonwebtoken', 'api-key-auth', 'keygrip'];
      return [
        { path: 'package-lock.json', text: JSON.stringify({ name: 'app', lockfileVersion: 3, packages: Object.fromEntries(pkgs.map((p) => [`node_modules/${p}`, { version: '1.0.0', resolved: `https://registry.npmjs.org/${p}/-/${p}-1.0.0.tgz`, integrity: integrity() }])) }, null, 2) + '\n' },
        { path: 'yarn.lock', text: pkgs.map((p) => `${p}@^1.0.0:\n  version "1.0.0"\n  resolved "https://registry.yarnpkg.com/${p}/-/${p}-1.0.0.tgz#${hex(rng, 40)}"\n  integrity ${integrity()}\n`).join('\n') },
        { path: 'pnpm-lock.yaml', text: `lockfileVersion: '9.0'\npackages:\n${pkgs.map((p) => `  ${p}@1.0.0:\n    resolution: {integrity: ${integrity()}}\n`).join('')}` },
        { path: 'poetry.lock', text: pkgs.map((p) => `[[package]]\nname = "${p}"\nversion = "1.0.0"\nfiles = [\n    {file = "${p}-1.0.0.tar.gz", hash = "sha256:${sha('sha256', p + rng.next())}"},\n]\n`).join('\n') },
        { path: 'Cargo.lock', text: pkgs.map((p) => `[[package]]\nname = "${p}"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${sha('sha256', p + rng.next())}"\n`).join('\n') },
        { path: 'public/index.html', text: `<!doctype html>\n<script src="https://cdn.acme.io/app.js" integrity="sha384-${sha('sha384', String(rng.next()), 'base64')}" crossorigin="anonymous"></script>\n<meta name="csrf-token" content="${rng.pick(ALPHABETS.base64url, 43)}">\n` },
      ];
    },
  },
  {
    kind: 'data URIs and embedded images',
    files: (rng) => [
      { path: 'src/styles/app.css', text: `.logo { background: url("data:image/png;base64,${rng.pick(B64, 400)}"); }\n.icon-key { background-image: url(data:image/svg+xml;base64,${rng.pick(B64, 200)}); }\n` },
      { path: 'notebooks/analysis.ipynb', text: JSON.stringify({ cells: [{ cell_type: 'code', source: ['api_key = os.environ["API_KEY"]\n', 'plot(tokens)'], outputs: [{ output_type: 'display_data', data: { 'image/png': rng.pick(B64, 2000), 'text/plain': ['<Figure size 640x480>'] } }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n' },
      { path: 'assets/key-icon.svg', text: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="32" height="32">\n  <image id="token" width="32" height="32" xlink:href="data:image/png;base64,${rng.pick(B64, 600)}"/>\n</svg>\n` },
    ],
  },
  {
    kind: 'minified bundles and source maps',
    files: (rng) => {
      const ident = () => rng.pick(ALPHABETS.alpha, 1) + rng.pick(ALPHABETS.alnum, rng.int(3));
      const body = Array.from({ length: 300 }, () => `function ${ident()}(${ident()},${ident()}){var token=${ident()}.token||"",secret=${ident()}.secret;return ${ident()}(token,{apiKey:${ident()}.apiKey,password:${ident()}.password})}`).join(';');
      const mappings = Array.from({ length: 400 }, () => rng.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 4 + rng.int(6))).join(',');
      return [
        { path: 'dist/app.min.js', text: `!function(){"use strict";${body}}();\n//# sourceMappingURL=app.min.js.map\n` },
        { path: 'dist/app.min.js.map', text: JSON.stringify({ version: 3, file: 'app.min.js', sources: ['src/auth/token.ts'], names: ['token', 'secret', 'apiKey'], mappings, sourcesContent: ['export const token = process.env.TOKEN;\nexport function apiKey(k: string) { return k; }\n'] }) + '\n' },
      ];
    },
  },
  {
    kind: 'public keys and certificates',
    files: (rng) => [
      { path: 'certs/ca.crt', text: armor('CERTIFICATE', pemBody(rng, 18)) },
      { path: 'keys/signing.pub', text: armor('PUBLIC KEY', `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${rng.pick(B64, 20)}\n${pemBody(rng, 5)}`) },
      { path: 'keys/release.asc', text: armor('PGP PUBLIC KEY BLOCK', `\n${pemBody(rng, 12)}\n=${rng.pick(B64, 4)}`) },
      { path: 'deploy/authorized_keys', text: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${rng.pick(B64, 43)} deploy@ci\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ${rng.pick(B64, 500)} ops@bastion\n` },
      { path: 'config/jwt.yaml', text: `jwt:\n  public_key: |\n${armor('PUBLIC KEY', pemBody(rng, 6)).split('\n').map((l) => `    ${l}`).join('\n')}\n  algorithm: RS256\n` },
      { path: 'config/oidc.json', text: JSON.stringify({ keys: [{ kty: 'RSA', kid: hex(rng, 16), use: 'sig', alg: 'RS256', n: rng.pick(ALPHABETS.base64url, 342), e: 'AQAB' }] }, null, 2) + '\n' },
    ],
  },
  {
    kind: 'i18n strings',
    files: () => [
      { path: 'locales/en.json', text: JSON.stringify({ auth: { password: 'Password', password_reset_token_expired: 'Your password reset token has expired.', api_key_label: 'API key', api_key_help: 'Create an API key in Settings > Developer.', secret: 'Secret', token_invalid: 'The token is invalid or has been revoked.' } }, null, 2) + '\n' },
      { path: 'locales/de.yml', text: `de:\n  auth:\n    password: Passwort\n    api_key: API-Schlüssel\n    token_expired: Das Token ist abgelaufen\n    secret_key_hint: Geheimer Schlüssel aus dem Dashboard\n` },
      { path: 'locale/fr/LC_MESSAGES/app.po', text: `msgid "Enter your API key"\nmsgstr "Saisissez votre clé API"\n\nmsgid "Password"\nmsgstr "Mot de passe"\n\nmsgid "Token expired"\nmsgstr "Jeton expiré"\n` },
      { path: 'res/values/strings.xml', text: `<resources>\n  <string name="password_hint">Password</string>\n  <string name="api_key_title">Your API key</string>\n  <string name="secret_token_error">Secret token is missing</string>\n</resources>\n` },
    ],
  },
  {
    kind: 'type declarations',
    files: () => [
      { path: 'src/types.ts', text: `export interface Credentials {\n  apiKey: string;\n  secret?: string;\n  password: string | undefined;\n  accessToken: AccessToken;\n  privateKey: KeyObject;\n}\nexport type Token = { token: string; expiresAt: Date };\ndeclare function sign(secretKey: Uint8Array, payload: string): string;\n` },
      { path: 'app/models.py', text: `from dataclasses import dataclass\n\n@dataclass\nclass Credentials:\n    api_key: str\n    secret_key: Optional[str] = None\n    password: SecretStr = Field(..., min_length=12)\n    access_token: str = ""\n` },
      { path: 'pkg/auth/types.go', text: "package auth\n\ntype Credentials struct {\n\tAPIKey    string `json:\"api_key\" yaml:\"api_key\"`\n\tSecretKey string `json:\"secret_key\"`\n\tPassword  string `json:\"password,omitempty\"`\n\tToken     *oauth2.Token\n}\n" },
      { path: 'src/lib.rs', text: `pub struct Credentials {\n    pub api_key: String,\n    pub secret_token: Option<String>,\n    pub password: SecretString,\n}\n` },
      { path: 'schema/openapi.yaml', text: `components:\n  securitySchemes:\n    api_key:\n      type: apiKey\n      name: X-API-Key\n      in: header\n  schemas:\n    Token:\n      properties:\n        access_token:\n          type: string\n        refresh_token:\n          type: string\n          format: password\n` },
      { path: 'src/main/java/com/acme/Creds.java', text: `public record Creds(String apiKey, char[] password, SecretKey signingKey) {}\n` },
    ],
  },
  {
    kind: 'test helpers',
    files: () => [
      { path: 'test/helpers.ts', text: `export const apiKey = mockKey();\nconst secret = fakeSecret('stripe');\nconst token = generateTestToken({ scopes: ['repo'] });\nconst password = faker.internet.password();\nexpect(client.apiKey).toBe(apiKey);\n` },
      { path: 'tests/conftest.py', text: `import pytest\n\n@pytest.fixture\ndef api_key():\n    return make_api_key()\n\nsecret_key = secrets.token_hex(32)\ntoken = uuid.uuid4().hex\npassword = fake.password(length=16)\n` },
      { path: 'spec/support/keys.rb', text: `let(:api_key) { SecureRandom.hex(20) }\nlet(:secret_token) { build(:token).value }\nlet(:password) { Faker::Internet.password }\n` },
    ],
  },
  {
    kind: 'docs prose',
    files: () => [
      { path: 'README.md', text: `# acme-client\n\nSet the \`ACME_API_KEY\` environment variable to the API key from your dashboard, or pass\n\`apiKey\` to the constructor. The secret key is only shown once. Tokens expire after 24 hours;\nuse the refresh token to get a new access token. Passwords must be at least 12 characters.\n\n| Variable | Meaning |\n|---|---|\n| \`API_TOKEN\` | token with the \`repo\` scope |\n| \`DB_PASSWORD\` | password of the \`app\` role |\n` },
      { path: 'docs/security.rst', text: `Rotating secrets\n================\n\nThe signing_key setting names the key used for webhooks. To rotate the secret, set\nSECRET_KEY_FALLBACKS to the old value and SECRET_KEY to a new one generated with\n\`\`python -c "import secrets; print(secrets.token_urlsafe(50))"\`\`.\n` },
    ],
  },
  {
    kind: 'secret-ish names holding no secret',
    files: (rng) => [
      { path: 'config/auth.yaml', text: `token_url: https://auth.acme.io/oauth/token\ntoken_endpoint: /oauth2/v1/token\nsecret_name: prod/payments/stripe\nsecrets_manager_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app\npassword_min_length: 12\npassword_policy: strong\napi_key_header: X-API-Key\napi_version: 2024-06-01\nkey_vault_uri: https://acme-kv.vault.azure.net/\naccess_key_id_env: AWS_ACCESS_KEY_ID\ntoken_ttl: 3600\nsecret_path: /var/run/secrets/kubernetes.io/serviceaccount/token\npublic_key_path: ./keys/signing.pub\nprivate_key_file: /etc/app/tls.key\n` },
      { path: 'src/forms.py', text: `csrf_token = request.form["csrf_token"]\npassword = form.cleaned_data["password"]\nnext_page_token = response["nextPageToken"]\nidempotency_key = request.headers.get("Idempotency-Key")\ncache_key = f"user:{user_id}:profile"\npartition_key = "tenant_id"\npublishable_key = "pk_live_" + suffix\n` },
      { path: 'src/tokenizer.ts', text: `const tokens = tokenizer.encode(text);\nconst maxTokens = 4096;\nconst tokenCount = tokens.length;\nconst keyboardShortcut = 'Ctrl+K';\nconst sortKey = 'createdAt';\n` },
      { path: 'pom.xml', text: `<project>\n  <dependencies>\n    <dependency>\n      <groupId>io.jsonwebtoken</groupId>\n      <artifactId>jjwt-jackson</artifactId>\n      <version>0.11.5</version>\n    </dependency>\n    <dependency>\n      <groupId>com.azure</groupId>\n      <artifactId>azure-security-keyvault-secrets</artifactId>\n      <version>4.8.0</version>\n    </dependency>\n  </dependencies>\n</project>\n` },
      { path: 'config/passwords.yaml', text: `password_hash_algorithm: argon2id\npassword_reset_path: /account/password/reset\ntoken_type: Bearer\nsecret_rotation_days: 90\nclient_secret_expires_at: 0\nauth_token_header: Authorization\n` },
    ],
  },
  {
    kind: 'typed fillers and sequences',
    files: () => [
      { path: 'config/local.env', text: `API_KEY=abcd1234efgh5678\nSECRET_TOKEN=ABCDEFGHIJKLMNOP1234\nSIGNING_KEY=0123456789ABCDEFabcd\nAUTH_KEY=QWERTYUIOPasdfghjkl123\nSESSION_KEY=aaaaBBBBccccDDDD1111\nMASTER_KEY=secret123secret123secret123\nACCESS_KEY=1q2w3e4r5t6y7u8i9o0p\nCLIENT_KEY=Zz1Zz1Zz1Zz1Zz1Zz1\nENCRYPTION_KEY=key-2024-01-15-prod-v2\nPRIVATE_KEY_PASSWORD=abcdef0123456789abcdef\n` },
      { path: 'deploy/staging.env', text: `DATADOG_API_KEY=0123456789abcdef0123456789abcdef\nSENTRY_AUTH_TOKEN=${'abcdef0123456789'.repeat(4)}\nMISTRAL_API_KEY=MistralApiKeyForStagingCluster01\nCOHERE_API_KEY=CohereProductionApiKeyPlaceholder1234\n` },
      { path: 'src/test/resources/application-test.yml', text: `app:\n  jwt:\n    secret: abcdefghijklmnopqrstuvwxyz123456\n  api-key: 11111111222222223333333344444444\n  token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n  password: 12345678901234567890\n` },
    ],
  },
  {
    kind: 'code that names secrets',
    files: () => [
      { path: 'src/auth/providers.ts', text: `export const signing = {\n  signing_key: 'HmacSHA256Signer',\n  private_key: 'ecdsaP256Sha256Key',\n  auth_token: 'authTokenV2Provider',\n  api_key: 'apiKeyHeaderName2',\n  encryption_key: 'AES256GCMEncryptionKeyProvider',\n  secret: 'sha256WithRSAEncryption',\n  token: 'OAuth2AccessTokenResponse',\n  password: 'PBKDF2WithHmacSHA512',\n};\n` },
      { path: 'app/build.gradle.kts', text: `android {\n  defaultConfig {\n    buildConfigField("String", "API_KEY", "\\"\${apiKey}\\"")\n    manifestPlaceholders["mapsApiKey"] = mapsApiKey\n  }\n}\n` },
      { path: 'src/jwt.py', text: `token = jwt.encode(payload, SECRET_KEY, algorithm="HS256")\nsecret_key_header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"\napi_key_param = "X-Api-Key"\nclient_secret_basic = "client_secret_basic"\n` },
      { path: 'src/crypto.go', text: "package crypto\n\nvar secretKey = []byte(os.Getenv(\"SECRET\"))\nvar tokenRe = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)\nconst passwordField = \"passwordConfirmation2\"\nconst apiKeyV2 = \"apiKeyV2FromHeaders\"\n" },
      { path: 'config/secrets.yml', text: `production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>\n  api_key: <%= Rails.application.credentials.api_key %>\n` },
      { path: 'deploy/values.yaml', text: `auth:\n  existingSecret: postgres-credentials\n  secretKeys:\n    adminPasswordKey: postgres-password\n    userPasswordKey: password\n  token_file: /var/run/secrets/eks.amazonaws.com/serviceaccount/token\n  secret_text_b64: aGVsbG8gd29ybGQsIHRoaXMgaXMgb25seSB0ZXh0Lg==\n` },
    ],
  },
  {
    // Found scanning real repositories (BENCHMARKS.md, "Detection quality"): values published
    // in a specification, and dummy passwords in URL-parsing tests.
    kind: 'public and specification values',
    files: (rng) => [
      { path: 'docs/oauth.md', text: 'An RFC 6749 token response (section 5.1):\n\n```json\n{\n  "access_token":"2YotnFZFEjr1zCsicMWpAA",\n  "token_type":"example",\n  "expires_in":3600,\n  "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",\n  "example_parameter":"example_value"\n}\n```\n' },
      { path: 'src/oauth1/parameters.py', text: 'def prepare_headers(params):\n    """For example::\n\n        Authorization: OAuth realm="Example",\n            oauth_consumer_key="0685bd9184jfhq22",\n            oauth_token="ad180jjd733klru7",\n            oauth_signature_method="HMAC-SHA1",\n    """\n\n\ndef prepare_bearer_uri(token, uri):\n    """http://www.example.com/path?access_token=h480djs93hd8"""\n' },
      { path: 'tests/test_urls.py', text: `CASES = [\n    ("http://user:pass@complex.url.com/path?query=yes", ("user", "pass")),\n    ("http://user:pass%20pass@complex.url.com/path?query=yes", ("user", "pass pass")),\n    ("http://user:pass%23pass@complex.url.com/path?query=yes", ("user", "pass#pass")),\n]\n` },
    ],
  },
];
