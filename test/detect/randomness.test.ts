import { describe, expect, it } from 'vitest';
import { entropyThreshold, looksRandom, randomnessVerdict } from '../../src/detect/randomness.js';
import { parseConfigText } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import { ALPHABETS, SeededRandom } from '../helpers/random.js';

const rng = new SeededRandom('randomness');
const DJANGO = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
const SYMBOLS = ALPHABETS.alnum! + '!#%&*+-=?@^_~.,:;';

describe('looksRandom: random values (generated at test time)', () => {
  const shapes: [string, string, number[]][] = [
    ['hex', ALPHABETS.hex!, [16, 24, 32, 40, 64]],
    ['HEX', ALPHABETS.HEX!, [20, 32, 40]],
    ['alnum', ALPHABETS.alnum!, [12, 16, 20, 24, 32, 40, 64]],
    ['lowerdigits', ALPHABETS.lowerdigits!, [16, 20, 24, 32, 40]],
    ['upperdigits', ALPHABETS.upperdigits!, [16, 20, 32]],
    ['base64', ALPHABETS.base64!, [16, 24, 40, 44, 64, 88]],
    ['base64url', ALPHABETS.base64url!, [22, 32, 43, 64]],
    ['django', DJANGO, [50]],
    ['symbols', SYMBOLS, [16, 24, 32]],
  ];
  for (const [name, alphabet, lengths] of shapes) {
    for (const n of lengths) {
      it(`accepts at least 98% of random ${name} values of length ${n}`, () => {
        const values = Array.from({ length: 500 }, () => rng.pick(alphabet, n));
        const rejected = values.filter((v) => !looksRandom(v));
        expect(rejected.length, `rejected: ${rejected.slice(0, 5).join(' ')}`).toBeLessThanOrEqual(10);
      });
    }
  }

  it('accepts realistic secret shapes', () => {
    const values = [
      rng.pick(ALPHABETS.alnum! + '/+', 40), // AWS secret access key
      `${rng.pick(ALPHABETS.base64!, 43)}=`, // 32 bytes of base64
      rng.pick(ALPHABETS.hex!, 40), // OAuth client secret as hex
      rng.pick(ALPHABETS.base64url!, 43), // HMAC key, base64url
      rng.pick(DJANGO, 50), // Django SECRET_KEY
      rng.pick(SYMBOLS, 20), // generated password
    ];
    for (const v of values) expect(randomnessVerdict(v)).toMatchObject({ random: true, reason: 'random' });
  });

  it('judges the password of a URL with credentials, not the URL', () => {
    const pw = rng.pick(ALPHABETS.alnum!, 24);
    expect(looksRandom(`postgres://app:${pw}@db.internal:5432/orders`)).toBe(true);
    expect(looksRandom(`postgres://app:${encodeURIComponent(pw + '/#')}@db.internal/orders`)).toBe(true);
    expect(randomnessVerdict('https://user:password@db.internal/x').random).toBe(false);
  });
});

describe('looksRandom: values people type', () => {
  const cases: [string, string[]][] = [
    ['words', [
      'getApiKeyForUserAccount', 'my_secret_value_v2', 'ThisIsNotARealKey', 'SUPER_SECRET_TOKEN_VALUE',
      'correcthorsebatterystaple', 'PasswordForTheDatabase', 'process.env.STRIPE_API_KEY',
      'io.github.project.artifact', 'AUTH_TOKEN_HEADER_NAME', 'authenticationService', 'mySecretPassword2024',
      'client_credentials', 'BearerTokenProvider', 'secretsmanager', 'ApplicationDefaultCredentials',
    ]],
    ['placeholder', [
      'your-api-key-here', 'changeme-in-production', 'xxxxxxxxxxxxxxxxxxxx', '<YOUR_API_KEY>', '${API_KEY}',
      '{{ api_key }}', '%API_KEY%', 'example-secret-value', 'REPLACE_WITH_YOUR_TOKEN', 'dummy-token-value',
      '****************', 'sk_test_placeholder_value', 'fake-secret-for-tests', 'mock_api_key_value',
    ]],
    ['typed filler', [
      'dev-key-12345', 'test-secret-123456', 'a1b2c3d4e5f6g7h8', 'abcdef123456', '0123456789abcdef',
      'qwertyuiop123', 'aaaaaaaaaaaaaaaa', 'abcabcabcabc', 'ab12ab12ab12ab12', '1234567890123456',
      'abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlk', 'admin-password-1', 'local-dev-secret-01',
    ]],
    ['paths and urls', [
      '/usr/local/bin/node', './config/secrets.json', '../keys/private.pem', '~/.ssh/id_ed25519',
      'C:\\Users\\app\\service-key.json', 'config/credentials/production.yml', 'https://api.example.com/v1/token',
      'http://localhost:8080/oauth/token', 'data:image/png;base64,iVBORw0KGgo', 'application/json',
      'arn:aws:secretsmanager:us-east-1', 'file:///etc/ssl/private',
    ]],
    ['identifiers of things', [
      '123e4567-e89b-12d3-a456-426614174000', '2024-01-01T00:00:00Z', '1.2.3-beta.4', '3.14159265358979',
      '+1-555-0100-2000',
    ]],
  ];
  for (const [kind, values] of cases) {
    it(`rejects ${kind}`, () => {
      const accepted = values.filter((v) => looksRandom(v));
      expect(accepted).toEqual([]);
    });
  }

  it('rejects UUIDs, content hashes and SRI values built at test time', () => {
    const hex = (n: number) => rng.pick(ALPHABETS.hex!, n);
    const uuid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    expect(randomnessVerdict(uuid).reason).toBe('uuid');
    expect(randomnessVerdict(`sha512-${rng.pick(ALPHABETS.base64!, 86)}==`).reason).toBe('hash');
    expect(randomnessVerdict(`sha256:${hex(64)}`).reason).toBe('hash');
    expect(randomnessVerdict(`md5=${hex(32)}`).reason).toBe('hash');
  });

  it('rejects base64 of plain text, whose decoded text the decoder judges', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(randomnessVerdict(b64('username:password')).reason).toBe('encoded-text');
    expect(randomnessVerdict(b64('This is just a sentence.')).reason).toBe('encoded-text');
    expect(looksRandom(b64(`deploy:${rng.pick(ALPHABETS.alnum!, 24)}`))).toBe(true);
  });

  it('rejects short values and whitespace', () => {
    expect(randomnessVerdict(rng.pick(ALPHABETS.alnum!, 10)).reason).toBe('too-short');
    expect(randomnessVerdict(rng.pick(ALPHABETS.hex!, 14)).reason).toBe('too-short');
    expect(randomnessVerdict('apiKey: string').reason).toBe('whitespace');
  });

  it('rejects low-entropy values of an alphabet that promises more', () => {
    expect(randomnessVerdict('aabbaabbccddaabbccdd').random).toBe(false);
    expect(randomnessVerdict('0000111100001111ffff').random).toBe(false);
  });
});

describe('entropyThreshold', () => {
  it('rises with length and alphabet size, and stays below log2 of the alphabet', () => {
    expect(entropyThreshold(16, 16)).toBeLessThan(entropyThreshold(16, 64));
    expect(entropyThreshold(16, 32)).toBeLessThan(entropyThreshold(64, 32));
    for (const k of [16, 36, 62, 64, 94]) for (const n of [12, 40, 200]) expect(entropyThreshold(k, n)).toBeLessThan(Math.log2(k));
  });
});

describe('rule field randomness', () => {
  const toml = (randomness: string) => `
[[rules]]
id = "generic-test"
regex = '''secret\\s*=\\s*"([^"]+)"'''
secretGroup = 1
keywords = ["secret"]
${randomness}
`;
  const configOf = (text: string) => {
    const problems = { list: [] as string[], add(w: string, m: string) { this.list.push(`${w}: ${m}`); } };
    const cf = parseConfigText(text, 'test.toml', problems as never);
    return { problems: problems.list, config: { rules: cf.rules, allowlists: cf.allowlists, sources: [], disabledRules: [] } };
  };

  it('drops values that do not look random only when the rule asks', () => {
    const random = rng.pick(ALPHABETS.alnum!, 32);
    const text = `secret = "getApiKeyForUserAccount"\nsecret = "${random}"\n`;
    const on = new Detector(configOf(toml('randomness = true')).config);
    const off = new Detector(configOf(toml('')).config);
    expect(on.detect({ raw: text, filePath: 'a.py', startLine: 1 }).map((f) => f.secret)).toEqual([random]);
    expect(off.detect({ raw: text, filePath: 'a.py', startLine: 1 }).map((f) => f.secret)).toEqual(['getApiKeyForUserAccount', random]);
  });

  it('must be a boolean', () => {
    expect(configOf(toml('randomness = "yes"')).problems).toEqual(['test.toml: generic-test: "randomness" must be true or false']);
  });
});
