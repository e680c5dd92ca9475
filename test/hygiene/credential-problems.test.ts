import { describe, expect, it } from 'vitest';
import { credentialFileKind } from '../../src/hygiene/credential-files.js';
import { ignorePatternFor, shellQuote, stagedCredentialFileMessage, untrackCommand } from '../../src/hygiene/credential-problems.js';

describe('fix commands', () => {
  it('quotes paths only when the shell needs it', () => {
    expect(shellQuote('config/.env')).toBe('config/.env');
    expect(shellQuote('my keys/id_rsa')).toBe(`'my keys/id_rsa'`);
    expect(shellQuote(`it's.pem`)).toBe(`'it'\\''s.pem'`);
    expect(untrackCommand('a b/.env')).toBe(`git rm --cached -- 'a b/.env'`);
  });

  it('ignores .env files by their family pattern and anything else by its exact path', () => {
    const kind = (p: string) => credentialFileKind(p)!;
    expect(ignorePatternFor('svc/.env', kind('svc/.env'))).toBe('.env');
    expect(ignorePatternFor('.env.production', kind('.env.production'))).toBe('.env.*');
    expect(ignorePatternFor('conf/prod.env', kind('conf/prod.env'))).toBe('*.env');
    expect(ignorePatternFor('Prod.ENV', kind('Prod.ENV'))).toBe('/Prod.ENV');
    expect(ignorePatternFor('keys/deploy.pem', kind('keys/deploy.pem'))).toBe('/keys/deploy.pem');
  });

  it('gives the hook a message saying what, why and how to fix', () => {
    const message = stagedCredentialFileMessage('.env.local', credentialFileKind('.env.local')!);
    expect(message).toContain('.env.local is a credential file (dotenv)');
    expect(message).toContain('`git rm --cached -- .env.local`');
    expect(message).toContain('add `.env.*` to .gitignore');
  });
});
