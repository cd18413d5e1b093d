import type { AuditTrail } from './audit.js';
import type { TokenResponse } from './credentials.js';
import { GatehouseError } from './errors.js';
import { userAgentOf, type AuthRequest } from './request.js';
import type { AccessTokens } from './tokens/access-tokens.js';
import type { ServiceClients } from './tokens/service-clients.js';
import { parseInput, ServiceTokenInput } from './validation.js';

export interface ServiceTokensDeps {
  clients: ServiceClients;
  accessTokens: AccessTokens;
  audit: AuditTrail;
  ttlMs: number;
}

export interface ServiceTokenResponse extends TokenResponse {
  scope?: string;
}

/**
 * OAuth client credentials: a registered service proves itself with its id and secret and
 * gets a short-lived JWT for ONE target service (`aud`), which that service verifies on its
 * own against our JWKS. No refresh token: it simply asks again.
 */
export class ServiceTokens {
  constructor(private readonly deps: ServiceTokensDeps) {}

  async issue(request: AuthRequest, body: unknown): Promise<ServiceTokenResponse> {
    const input = parseInput(ServiceTokenInput, body);
    const basic = basicCredentials(request.headers.get('authorization'));
    const clientId = basic?.id ?? input.client_id;
    const clientSecret = basic?.secret ?? input.client_secret;
    const context = { ip: request.ip, userAgent: userAgentOf(request) };
    if (clientId === undefined || clientSecret === undefined) {
      throw new GatehouseError(
        'validation_failed',
        'Send client_id and client_secret in the body, or as HTTP Basic credentials.',
      );
    }

    const client = await this.deps.clients.authenticate(clientId, clientSecret);
    if (client === undefined) {
      await this.deps.audit.record('service_token_refused', { ...context, reason: 'bad_client_credentials' });
      throw new GatehouseError('invalid_credentials', 'Unknown client or wrong client secret.');
    }
    if (!client.audiences.includes(input.audience)) {
      await this.deps.audit.record('service_token_refused', { ...context, sessionId: client.id, reason: 'audience' });
      throw new GatehouseError('forbidden', `This client may not get tokens for the audience "${input.audience}".`);
    }
    const requested = input.scope?.split(' ').filter((scope) => scope !== '') ?? client.scopes;
    const refused = requested.filter((scope) => !client.scopes.includes(scope));
    if (refused.length > 0) {
      await this.deps.audit.record('service_token_refused', { ...context, sessionId: client.id, reason: 'scope' });
      throw new GatehouseError('forbidden', `This client may not get the scope(s): ${refused.join(', ')}.`);
    }

    const scope = requested.join(' ');
    const issued = await this.deps.accessTokens.issue({
      subject: client.id,
      audience: input.audience,
      clientId: client.id,
      ttlMs: this.deps.ttlMs,
      ...(scope === '' ? {} : { scope }),
    });
    await this.deps.audit.record('service_token_issued', { ...context, sessionId: client.id, reason: input.audience });
    const response: ServiceTokenResponse = {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: Math.floor(this.deps.ttlMs / 1000),
    };
    if (scope !== '') response.scope = scope;
    return response;
  }
}

/** RFC 6749 §2.3.1 client_secret_basic; anything else is "not given". */
function basicCredentials(header: string | null): { id: string; secret: string } | undefined {
  const match = header === null ? null : /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (match?.[1] === undefined || match[1].length > 1024) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  // The parts are form-urlencoded (§2.3.1); a malformed escape is simply not a credential.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}
