import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirectories } from '../../../test-support/scratch.js';
import { ConfigError, loadConfig } from './config.js';

const SECRET = 's'.repeat(40);

const tempDir = scratchDirectories('gatehouse-config-');

function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    GATEHOUSE_SECRET: SECRET,
    PUBLIC_ORIGIN: 'https://reader.example',
    GATEHOUSE_DATA_DIR: tempDir(),
    MAIL_URL: 'smtp://mailer:secret@mail.example:587',
    ...overrides,
  };
}

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to refuse this configuration');
}

describe('loadConfig', () => {
  it('has safe development defaults: session mode, 1 h idle, 7 d absolute, port 3000', () => {
    const config = loadConfig({ GATEHOUSE_DATA_DIR: tempDir() });
    expect(config.browserMode).toBe('session');
    expect(config.session.idleTimeoutMs).toBe(3_600_000);
    expect(config.session.absoluteLifetimeMs).toBe(7 * 24 * 3_600_000);
    expect(config.session.touchIntervalMs).toBe(60_000);
    expect(config.port).toBe(3000);
    expect(config.publicOrigin).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(true);
    expect(config.database).toMatchObject({ kind: 'sqlite' });
  });

  it('generates a development secret once, owner-only, and reuses it', () => {
    const dir = tempDir();
    const first = loadConfig({ GATEHOUSE_DATA_DIR: dir }).secret;
    const second = loadConfig({ GATEHOUSE_DATA_DIR: dir }).secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('names the variable and the problem for a bad value', () => {
    expect(configError({ PORT: 'eighty', GATEHOUSE_DATA_DIR: tempDir() })).toMatch(/PORT/);
    expect(configError({ GATEHOUSE_SESSION_IDLE_TIMEOUT: '-5', GATEHOUSE_DATA_DIR: tempDir() })).toMatch(
      /GATEHOUSE_SESSION_IDLE_TIMEOUT: must be positive/,
    );
    expect(configError({ GATEHOUSE_SECRET: 'short' })).toMatch(/GATEHOUSE_SECRET: must be at least 32/);
    expect(configError({ GATEHOUSE_BROWSER_MODE: 'localStorage', GATEHOUSE_DATA_DIR: tempDir() })).toMatch(
      /GATEHOUSE_BROWSER_MODE/,
    );
    expect(configError({ DATABASE_URL: 'mysql://db', GATEHOUSE_DATA_DIR: tempDir() })).toMatch(/DATABASE_URL/);
  });

  it('refuses an idle timeout longer than the absolute lifetime', () => {
    const message = configError({
      GATEHOUSE_SESSION_IDLE_TIMEOUT: '7200',
      GATEHOUSE_SESSION_ABSOLUTE_LIFETIME: '3600',
      GATEHOUSE_DATA_DIR: tempDir(),
    });
    expect(message).toMatch(/must not exceed/);
  });

  it('refuses wildcard and malformed trusted origins, in any environment', () => {
    for (const value of ['*', 'https://*.example.com', 'example.com', 'https://app.example/path', 'ftp://x.example']) {
      expect(configError({ TRUSTED_ORIGINS: value, GATEHOUSE_DATA_DIR: tempDir() })).toMatch(/TRUSTED_ORIGINS/);
    }
  });

  it('keeps the public origin first among trusted origins and drops duplicates', () => {
    const config = loadConfig({
      PUBLIC_ORIGIN: 'http://localhost:4000',
      TRUSTED_ORIGINS: 'https://a.example, http://localhost:4000',
      GATEHOUSE_DATA_DIR: tempDir(),
    });
    // The loopback spellings come last; only development adds them (see below).
    expect(config.trustedOrigins).toEqual([
      'http://localhost:4000',
      'https://a.example',
      'http://127.0.0.1:4000',
      'http://[::1]:4000',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', GATEHOUSE_DATA_DIR: tempDir() }).port).toBe(3000);
  });
});

// Issue 15 item 12: a developer who opened http://127.0.0.1:3000 instead of localhost got
// csrf_failed on every form, since browsers name those two different origins.
describe('loadConfig: the loopback spellings of a localhost public origin', () => {
  it('in development and test, trusts 127.0.0.1 and [::1] on the same scheme and port', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const config = loadConfig({ NODE_ENV, PUBLIC_ORIGIN: 'http://localhost:4000', GATEHOUSE_DATA_DIR: tempDir() });
      expect(config.trustedOrigins).toEqual(['http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000']);
    }
    // The default public origin (http://localhost:$PORT) too: that is what `npm start` serves.
    expect(loadConfig({ PORT: '3000', GATEHOUSE_DATA_DIR: tempDir() }).trustedOrigins).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
    ]);
  });

  it('trusts no other port, scheme or host: only this server can answer at what it adds', () => {
    const { trustedOrigins } = loadConfig({ PUBLIC_ORIGIN: 'http://localhost:4000', GATEHOUSE_DATA_DIR: tempDir() });
    for (const origin of [
      'http://127.0.0.1:4001',
      'http://127.0.0.1',
      'https://127.0.0.1:4000',
      'http://127.0.0.2:4000',
      'http://0.0.0.0:4000',
      'http://localhost.evil.example:4000',
      'http://app.localhost:4000',
    ]) {
      expect(trustedOrigins).not.toContain(origin);
    }
  });

  it('adds nothing for a public origin that is not localhost', () => {
    for (const PUBLIC_ORIGIN of ['http://127.0.0.1:4000', 'http://reader.test:4000', 'http://app.localhost:4000']) {
      expect(loadConfig({ PUBLIC_ORIGIN, GATEHOUSE_DATA_DIR: tempDir() }).trustedOrigins).toEqual([PUBLIC_ORIGIN]);
    }
  });

  it('production trusts exactly the configured origins, even for https://localhost', () => {
    const config = loadConfig(productionEnv({ PUBLIC_ORIGIN: 'https://localhost:8443' }));
    expect(config.trustedOrigins).toEqual(['https://localhost:8443']);
  });
});

describe('loadConfig in production', () => {
  it('starts with a secret, Secure cookies and an https public origin', () => {
    const config = loadConfig(productionEnv());
    expect(config.production).toBe(true);
    expect(config.secret).toBe(SECRET);
  });

  it('refuses to start without GATEHOUSE_SECRET (never a generated one)', () => {
    const env = productionEnv();
    delete env.GATEHOUSE_SECRET;
    expect(configError(env)).toMatch(/GATEHOUSE_SECRET: required in production/);
  });

  it('refuses Secure cookies turned off', () => {
    expect(configError(productionEnv({ GATEHOUSE_SECURE_COOKIES: 'false' }))).toMatch(/GATEHOUSE_SECURE_COOKIES/);
  });

  it('refuses a plain-http public or trusted origin, and a missing public origin', () => {
    expect(configError(productionEnv({ PUBLIC_ORIGIN: 'http://reader.example' }))).toMatch(/PUBLIC_ORIGIN/);
    expect(configError(productionEnv({ TRUSTED_ORIGINS: 'http://spa.example' }))).toMatch(/TRUSTED_ORIGINS/);
    const env = productionEnv();
    delete env.PUBLIC_ORIGIN;
    expect(configError(env)).toMatch(/PUBLIC_ORIGIN: required/);
  });

  it('refuses to start without MAIL_URL, unless told MAIL_URL=log: (mail to the data folder only)', () => {
    const env = productionEnv();
    delete env.MAIL_URL;
    expect(configError(env)).toMatch(/MAIL_URL: required in production/);
    expect(loadConfig(productionEnv({ MAIL_URL: 'log:' })).mail.url).toBeUndefined();
    expect(configError(productionEnv({ MAIL_URL: 'http://mail.example' }))).toMatch(/MAIL_URL/);
  });
});

describe('loadConfig: account settings', () => {
  it('builds MAIL_FROM from the app name and the public origin, and takes the API key lifetimes', () => {
    const config = loadConfig(
      productionEnv({ GATEHOUSE_APP_NAME: 'Reader', GATEHOUSE_API_KEY_MAX_LIFETIME: 'unlimited' }),
    );
    expect(config.mail.from).toBe('Reader <no-reply@reader.example>');
    expect(config.accounts.apiKeyMaxLifetimeMs).toBeNull();
    expect(config.accounts.reauthWindowMs).toBe(600_000);
  });

  it('refuses a default API key life longer than the maximum', () => {
    expect(
      configError(productionEnv({ GATEHOUSE_API_KEY_LIFETIME: '7200', GATEHOUSE_API_KEY_MAX_LIFETIME: '3600' })),
    ).toMatch(/GATEHOUSE_API_KEY_LIFETIME/);
  });
});
