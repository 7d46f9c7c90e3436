// Token verification with jose: one verifier per configured issuer (config.jwt.issuers), picked by the
// token's unverified `iss`, each restricted to the algorithms of its own kind of key — HS256 for a
// shared secret, the asymmetric ones for a public key or a JWK Set — so that a token can never make
// the service verify an HMAC with a public key (key confusion) or accept `alg: none`.
import { createPublicKey, type KeyObject } from 'node:crypto'
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyInput,
} from 'jose'

/** Where an issuer's verification key comes from: exactly one per issuer. */
export type JwtKeySource =
  | { kind: 'secret'; secret: string }
  | { kind: 'public_key'; pem: string }
  | { kind: 'jwks_url'; url: string }
  | { kind: 'jwks_file'; jwks: { keys: Record<string, unknown>[] } }

/** One system that mints tokens for this API: its `iss`, the `aud` it must use, and its key. */
export interface JwtIssuer {
  issuer: string
  audience: string
  key: JwtKeySource
  /** The variable that configured it (JWT_SECRET, JWT_ISSUERS[1], …), for messages. */
  source: string
}

/** The key inside a PEM public key, checked to be one the service verifies with. */
export function publicKeyOf(pem: string): KeyObject {
  const key = createPublicKey(pem)
  const type = key.asymmetricKeyType
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('an EC key must be on P-256 (ES256)')
  }
  if (!['ec', 'rsa', 'rsa-pss', 'ed25519'].includes(type ?? '')) {
    throw new Error(
      `a ${type} key is not supported; use P-256 (ES256), RSA (RS256, PS256) or Ed25519 (EdDSA)`,
    )
  }
  if (type !== 'ec' && type !== 'ed25519' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error('an RSA key must have at least 2048 bits')
  }
  return key
}

/** Allowed clock skew between this service and the token issuers. */
export const CLOCK_TOLERANCE_S = 30
/** Every asymmetric algorithm the service accepts from a JWK Set (jose matches each key's kty). */
const JWKS_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519']

interface Verifier {
  issuer: string
  audience: string
  algorithms: string[]
  key: KeyInput | JWTVerifyGetKey
}

/**
 * Why a token was refused: `reason` is a stable word for the log, `description` a fixed sentence for
 * the `WWW-Authenticate` header and the problem detail. Neither ever carries a part of the token.
 */
export class TokenRejected extends Error {
  readonly reason: string
  readonly description: string
  readonly claim: string | undefined
  constructor(reason: string, description: string, claim?: string) {
    super(description)
    this.reason = reason
    this.description = description
    this.claim = claim
  }
}

/** The JWK Set of a URL could not be fetched or used: the fault is not the caller's. */
export class KeysUnavailable extends Error {}

function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return ['ES256']
    case 'ed25519':
      return ['EdDSA', 'Ed25519']
    case 'rsa-pss':
      return ['PS256']
    default:
      return ['RS256', 'PS256']
  }
}

export function createVerifiers(issuers: JwtIssuer[]): Map<string, Verifier> {
  const verifiers = new Map<string, Verifier>()
  for (const { issuer, audience, key } of issuers) {
    const base = { issuer, audience }
    if (key.kind === 'secret') {
      verifiers.set(issuer, { ...base, algorithms: ['HS256'], key: new TextEncoder().encode(key.secret) })
    } else if (key.kind === 'public_key') {
      const publicKey = publicKeyOf(key.pem)
      verifiers.set(issuer, { ...base, algorithms: algorithmsFor(publicKey), key: publicKey })
    } else if (key.kind === 'jwks_url') {
      // Cached, refetched when a token names an unknown kid (at most every 30 s), 5 s timeout.
      const remote = createRemoteJWKSet(new URL(key.url))
      verifiers.set(issuer, { ...base, algorithms: JWKS_ALGORITHMS, key: remote })
    } else {
      const local = createLocalJWKSet(key.jwks as unknown as Parameters<typeof createLocalJWKSet>[0])
      verifiers.set(issuer, { ...base, algorithms: JWKS_ALGORITHMS, key: local })
    }
  }
  return verifiers
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

const CLAIM_REASONS: Record<string, [string, string]> = {
  nbf: ['not_yet_valid', 'The token is not valid yet (nbf)'],
  exp: ['expired', 'The token has expired'],
  iat: ['invalid_claim', 'The token has an invalid iat claim'],
  iss: ['wrong_issuer', 'The token was not issued by an accepted issuer'],
  aud: ['wrong_audience', 'The token is not meant for this API (aud)'],
}

function rejection(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new TokenRejected('expired', 'The token has expired', 'exp')
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') {
      return new TokenRejected('missing_claim', `The token lacks the ${error.claim} claim`, error.claim)
    }
    const [reason, description] = CLAIM_REASONS[error.claim] ?? [
      'invalid_claim',
      `The token has an invalid ${error.claim} claim`,
    ]
    return new TokenRejected(reason, description, error.claim)
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenRejected('algorithm_not_allowed', 'The token is signed with an algorithm not accepted')
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejected('bad_signature', 'The token signature is invalid')
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenRejected('unknown_key', 'No key of the issuer matches the token')
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new KeysUnavailable(error.code)
  }
  // The plain JOSEError is what jose throws when a JWK Set URL answers with anything but 200.
  if (error instanceof errors.JOSEError && error.code === errors.JOSEError.code) {
    return new KeysUnavailable(error.message)
  }
  if (error instanceof errors.JOSENotSupported) {
    return new TokenRejected('unsupported', 'The token uses a feature that is not supported')
  }
  if (error instanceof errors.JOSEError) {
    return new TokenRejected('malformed', 'The token is not a well-formed JWT')
  }
  // Anything else comes from fetching a remote JWK Set (network, HTTP status): not the token's fault.
  return new KeysUnavailable(error instanceof Error ? error.message : String(error))
}

/** How long a verified token is taken on trust again, at most (and never past its `exp`). */
const VERIFIED_FOR_MS = 60_000
const VERIFIED_MAX = 5_000

/**
 * Tokens verified lately, by their exact text, with what the caller made of them (`T`): a client
 * sends the same token with every request, and verifying its HMAC or signature each time
 * (WebCrypto, a job on the thread pool) is the costliest step of a small read. A hit is the same
 * bytes — header, claims and signature — verified before, and is taken only until the token's `exp`
 * (with the skew jose allows) and for a minute at most, so a key rotated out of a JWK Set stops
 * counting soon. Refusals are never kept: unknown tokens cannot fill it, and the oldest entries make
 * room (insertion order).
 */
export class VerifiedTokens<T> {
  readonly #entries = new Map<string, { value: T; until: number }>()

  get(token: string, now = Date.now()): T | undefined {
    const entry = this.#entries.get(token)
    if (!entry) return undefined
    if (entry.until > now) return entry.value
    this.#entries.delete(token)
    return undefined
  }

  /** Keeps `value` for a token verifyJwt() answered with `payload`. */
  set(token: string, payload: JWTPayload, value: T, now = Date.now()) {
    const seconds = CLOCK_TOLERANCE_S
    // A token not valid yet (accepted within the skew) is checked again next time.
    if (typeof payload.nbf === 'number' && payload.nbf * 1000 > now) return
    const until = Math.min(now + VERIFIED_FOR_MS, ((payload.exp as number) + seconds) * 1000)
    if (this.#entries.size >= VERIFIED_MAX) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(token, { value, until })
  }
}

/**
 * Verifies a compact JWS: signature, `exp` and `sub` present, `exp`/`nbf`/`iat` with 30 s of
 * tolerance, issuer and audience. Throws TokenRejected (the caller's fault) or KeysUnavailable (ours).
 */
export async function verifyJwt(token: string, verifiers: Map<string, Verifier>): Promise<JWTPayload> {
  if (!COMPACT_JWS.test(token)) throw new TokenRejected('malformed', 'The token is not a well-formed JWT')
  let unverified: JWTPayload
  try {
    unverified = decodeJwt(token)
  } catch {
    throw new TokenRejected('malformed', 'The token is not a well-formed JWT')
  }
  const verifier = typeof unverified.iss === 'string' ? verifiers.get(unverified.iss) : undefined
  if (!verifier) throw new TokenRejected('unknown_issuer', 'The token issuer is not accepted here', 'iss')
  try {
    const { payload } = await jwtVerify(token, verifier.key, {
      issuer: verifier.issuer,
      audience: verifier.audience,
      algorithms: verifier.algorithms,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_S,
    })
    // jose checks iat only with maxTokenAge, which would make iat required: a token issued in the
    // future (beyond the skew) comes from a wrong clock or a forger, so refuse it here.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new TokenRejected('issued_in_future', 'The token is issued in the future (iat)', 'iat')
    }
    return payload
  } catch (error) {
    if (error instanceof TokenRejected) throw error
    throw rejection(error)
  }
}
