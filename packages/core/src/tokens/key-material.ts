import type { webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SigningAlgorithm } from '../stores/types.js';

type CryptoKey = webcrypto.CryptoKey;

/** The members of a public JWK we keep and publish: nothing that could carry a private part. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  /** EC keys only (ES256). */
  y?: string;
}

export interface GeneratedSigningKey {
  /** RFC 7638 thumbprint of the public key: the same key always gets the same kid. */
  kid: string;
  publicJwk: PublicJwk;
  /** Holds `d`: only ever stored encrypted. */
  privateJwk: JWK;
}

function requireString(jwk: Record<string, unknown>, member: string): string {
  const value = jwk[member];
  if (typeof value !== 'string' || value === '') throw new TypeError(`JWK member "${member}" must be a string`);
  return value;
}

/** Copies only kty/crv/x/y, so a JWK that also holds `d` can never leak it through us. */
export function publicMembers(jwk: Record<string, unknown>): PublicJwk {
  const publicJwk: PublicJwk = {
    kty: requireString(jwk, 'kty'),
    crv: requireString(jwk, 'crv'),
    x: requireString(jwk, 'x'),
  };
  if (publicJwk.kty === 'EC') publicJwk.y = requireString(jwk, 'y');
  return publicJwk;
}

export function sameKeyPair(publicJwk: PublicJwk, privateJwk: Record<string, unknown>): boolean {
  return (
    privateJwk.kty === publicJwk.kty &&
    privateJwk.crv === publicJwk.crv &&
    privateJwk.x === publicJwk.x &&
    privateJwk.y === publicJwk.y
  );
}

export function jwkThumbprint(publicJwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ ...publicJwk }, 'sha256');
}

/** Ed25519 for EdDSA, P-256 for ES256. Extractable once, so the private half can be sealed. */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk = publicMembers(await exportJWK(pair.publicKey));
  const privateJwk = await exportJWK(pair.privateKey);
  return { kid: await jwkThumbprint(publicJwk), publicJwk, privateJwk };
}

async function importKey(jwk: JWK, alg: SigningAlgorithm): Promise<CryptoKey> {
  // Not extractable: once loaded, a key can sign or verify but never be exported again.
  const key = await importJWK(jwk, alg, { extractable: false });
  if (key instanceof Uint8Array) throw new TypeError('expected an asymmetric JWK');
  return key;
}

export function importPublicKey(publicJwk: PublicJwk, alg: SigningAlgorithm): Promise<CryptoKey> {
  return importKey({ ...publicJwk }, alg);
}

export function importPrivateKey(privateJwk: JWK, alg: SigningAlgorithm): Promise<CryptoKey> {
  return importKey(privateJwk, alg);
}
