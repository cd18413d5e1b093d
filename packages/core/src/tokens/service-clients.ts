import { z } from 'zod';
import type { Clock } from '../clock.js';
import { constantTimeEqual, randomToken, sha256Hex, type RandomSource } from '../crypto.js';
import type { ServiceClientRecord, ServiceClientStore } from '../stores/types.js';
import { parseInput } from '../validation.js';

export interface PublicServiceClient {
  id: string;
  name: string;
  audiences: string[];
  scopes: string[];
  createdAt: string;
}

export interface RegisterServiceClientInput {
  name: string;
  audiences: string[];
  scopes?: string[];
}

export interface ServiceClientsOptions {
  store: ServiceClientStore;
  clock: Clock;
  random: RandomSource;
}

const ID_PREFIX = 'svc_';
const ID_BYTES = 12;
const SECRET_BYTES = 32; // 256 bits: only its SHA-256 is stored, and that cannot be reversed
const CLIENT_ID_SHAPE = /^svc_[0-9a-f]{24}$/;
const CLIENT_SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const SCOPE_SHAPE = /^[a-z][a-z0-9_.:-]{0,63}$/;

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

// An audience is compared for equality with what a caller asks for; whitespace or `*` would
// invite someone to treat it as a pattern later, so neither is allowed in the first place.
const RegisterInput = z.object({
  name: z.string({ message: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  audiences: z
    .array(
      z
        .string({ message: 'must be text' })
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters')
        .regex(/^[^\s*]+$/, 'must not contain whitespace or *'),
      { message: 'must be a list of audiences' },
    )
    .min(1, 'must name at least one audience')
    .max(10, 'must name at most 10 audiences')
    .refine(unique, 'must not repeat an audience'),
  scopes: z
    .array(
      z
        .string({ message: 'must be text' })
        .regex(SCOPE_SHAPE, 'must be lowercase letters, digits and _ . : - (64 max)'),
      { message: 'must be a list of scopes' },
    )
    .max(50, 'must name at most 50 scopes')
    .refine(unique, 'must not repeat a scope')
    .optional(),
});

export function toPublicServiceClient(client: ServiceClientRecord): PublicServiceClient {
  return {
    id: client.id,
    name: client.name,
    audiences: [...client.audiences],
    scopes: [...client.scopes],
    createdAt: new Date(client.createdAt).toISOString(),
  };
}

/** Machine clients (OAuth client credentials): id + 256-bit secret, only its SHA-256 stored. */
export class ServiceClients {
  private readonly store: ServiceClientStore;
  private readonly clock: Clock;
  private readonly random: RandomSource;

  constructor(options: ServiceClientsOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.random = options.random;
  }

  /** Throws `validation_failed` on a bad name/audience/scope; the secret is returned once. */
  async register(input: RegisterServiceClientInput): Promise<{ client: PublicServiceClient; clientSecret: string }> {
    // Typed, but it may come from a CLI or an admin form: validated like any request body.
    const valid = parseInput(RegisterInput, input);
    const clientSecret = randomToken(SECRET_BYTES, this.random);
    const record: ServiceClientRecord = {
      id: ID_PREFIX + Buffer.from(this.random(ID_BYTES)).toString('hex'),
      name: valid.name,
      secretHash: sha256Hex(clientSecret),
      audiences: valid.audiences,
      scopes: valid.scopes ?? [],
      createdAt: this.clock(),
      revokedAt: null,
    };
    await this.store.create(record);
    return { client: toPublicServiceClient(record), clientSecret };
  }

  /** Live clients, oldest first. */
  async list(): Promise<PublicServiceClient[]> {
    return (await this.store.list()).map(toPublicServiceClient);
  }

  /** false when unknown or already revoked. */
  revoke(id: string): Promise<boolean> {
    return this.store.revoke(id, this.clock());
  }

  /** The live client whose secret matches (constant-time), or undefined. */
  async authenticate(clientId: string, clientSecret: string): Promise<ServiceClientRecord | undefined> {
    // Shape first (lengths before regexes): a megabyte "secret" costs nothing and never reaches the store.
    if (clientId.length > 64 || clientSecret.length > 64) return undefined;
    if (!CLIENT_ID_SHAPE.test(clientId) || !CLIENT_SECRET_SHAPE.test(clientSecret)) return undefined;
    const client = await this.store.findById(clientId);
    if (client === undefined) return undefined;
    const presentedHash = Buffer.from(sha256Hex(clientSecret), 'utf8');
    if (!constantTimeEqual(presentedHash, Buffer.from(client.secretHash, 'utf8'))) return undefined;
    if (client.revokedAt !== null) return undefined;
    return client;
  }
}
