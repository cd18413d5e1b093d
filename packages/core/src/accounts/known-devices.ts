import { deviceCookieName, readCookies, serializeCookie } from '../cookies.js';
import { randomToken, sha256Hex } from '../crypto.js';
import type { ClientKind } from '../credentials.js';
import { userAgentOf, type AuthRequest } from '../request.js';
import type { AccountDeps } from './deps.js';

const DEVICE_ID_BYTES = 32;
const DEVICE_ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Browsers cap cookie lifetimes at 400 days (RFC 6265bis §5.5). */
const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

export interface DeviceSighting {
  /** True when this user has never signed in from this device before. */
  isNew: boolean;
  /** Set-Cookie for a browser that had no device id yet. */
  cookies: string[];
}

/**
 * Recognises the devices a user signs in from, to mail a notice on a sign-in from a new one.
 * A browser carries a random device id in an HttpOnly cookie (not a credential: it proves
 * nothing, it only tells "seen before" from "new"); only its hash is stored, per user. A
 * native app has no cookie jar, so its user agent stands in for it.
 */
export class KnownDevices {
  private readonly cookieName: string;

  constructor(private readonly deps: Pick<AccountDeps, 'stores' | 'clock' | 'random' | 'config'>) {
    this.cookieName = deviceCookieName(deps.config.secureCookies);
  }

  async sighting(userId: string, request: AuthRequest, client: ClientKind): Promise<DeviceSighting> {
    const cookies: string[] = [];
    let deviceKey: string;
    if (client === 'bearer') {
      deviceKey = `agent:${userAgentOf(request) ?? ''}`;
    } else {
      let id = readCookies(request.headers.get('cookie'))[this.cookieName];
      if (id === undefined || !DEVICE_ID_SHAPE.test(id)) {
        id = randomToken(DEVICE_ID_BYTES, this.deps.random);
        cookies.push(this.cookie(id, client));
      }
      deviceKey = `browser:${id}`;
    }
    const isNew = await this.deps.stores.knownDevices.remember(userId, sha256Hex(deviceKey), this.deps.clock());
    return { isNew, cookies };
  }

  private cookie(id: string, client: ClientKind): string {
    return serializeCookie(this.cookieName, id, {
      secure: this.deps.config.secureCookies,
      // The cross-site SPA's requests are cross-site: only a SameSite=None cookie comes back.
      sameSite: client === 'memory-token' ? 'none' : 'lax',
      maxAgeSeconds: DEVICE_COOKIE_MAX_AGE_SECONDS,
    });
  }
}
