/**
 * RFC 7523 §2.1: the JWT-bearer grant, shaped as Maskinporten wants it: an RS256 assertion
 * with `aud`, `iss`, `scope`, `iat`, `exp` (at most 120 s after `iat`) and a fresh `jti`,
 * signed with the business certificate's key, the certificate chain in `x5c`.
 */
import { createPrivateKey, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTHeaderParameters } from 'jose';
import type { AuthConfig } from '../../config/types.js';
import type { HttpClient } from '../client.js';
import { AuthError } from './errors.js';
import type { TransportAwareAuthProvider } from './static-provider.js';
import { createTokenProvider, type TokenProviderOptions } from './token-provider.js';

type JwtBearerConfig = Extract<AuthConfig, { type: 'jwt-bearer' }>;

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Maskinporten refuses assertions that live longer. */
const MAX_LIFETIME_SECONDS = 120;

interface SigningMaterial {
  key: KeyObject;
  x5c: string[] | undefined;
}

export function createJwtBearerAuth(scheme: string, config: JwtBearerConfig, client: HttpClient, options: TokenProviderOptions): TransportAwareAuthProvider {
  const lifetime = Math.min(MAX_LIFETIME_SECONDS, Math.max(1, Math.floor(config.lifetimeSeconds || MAX_LIFETIME_SECONDS)));
  let material: SigningMaterial | undefined;
  return createTokenProvider(
    scheme,
    {
      type: config.type,
      secrets: [config.privateKey],
      async buildRequest() {
        material ??= signingMaterialOf(config);
        const iat = Math.floor(options.clock() / 1000);
        const header: JWTHeaderParameters = { alg: 'RS256' };
        if (config.keyId !== undefined && config.keyId !== '') header.kid = config.keyId;
        if (material.x5c !== undefined) header.x5c = material.x5c;
        const claims: Record<string, string> = { scope: config.scope };
        if (config.resource !== undefined && config.resource !== '') claims.resource = config.resource;
        const assertion = await new SignJWT(claims)
          .setProtectedHeader(header)
          .setIssuer(config.issuer)
          .setAudience(config.audience)
          .setIssuedAt(iat)
          .setExpirationTime(iat + lifetime)
          .setJti(randomUUID())
          .sign(material.key);
        const form = new URLSearchParams({ grant_type: GRANT_TYPE, assertion });
        return {
          request: {
            method: 'POST',
            url: config.tokenUrl,
            headers: [
              ['content-type', 'application/x-www-form-urlencoded'],
              ['accept', 'application/json'],
            ],
            body: form.toString(),
          },
          // Replayable until it expires: keep it out of recordings.
          secrets: [assertion],
        };
      },
    },
    client,
    options,
  );
}

/** The RSA key and the `x5c` chain, checked once; unusable material is a config failure. */
function signingMaterialOf(config: JwtBearerConfig): SigningMaterial {
  let key: KeyObject;
  try {
    key = createPrivateKey(config.privateKey);
  } catch (error) {
    throw configFailure(`the privateKey is not a readable PEM private key (${(error as Error).message})`, error);
  }
  if (key.asymmetricKeyType !== 'rsa') throw configFailure(`RS256 needs an RSA private key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  if (config.certificate === undefined || config.certificate.trim() === '') return { key, x5c: undefined };

  // RFC 7515 §4.1.6: x5c is the chain, leaf first, each standard base64 of the DER.
  const blocks = config.certificate.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw configFailure('the certificate holds no PEM CERTIFICATE block');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(blocks[0] ?? '');
  } catch (error) {
    throw configFailure(`the certificate is not a readable PEM certificate (${(error as Error).message})`, error);
  }
  if (!leaf.checkPrivateKey(key)) throw configFailure(`the certificate (${leaf.subject.replace(/\n/g, ', ')}) does not belong to the privateKey`);
  const x5c = blocks.map((block) => block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''));
  return { key, x5c };
}

function configFailure(message: string, cause?: unknown): AuthError {
  return new AuthError({ stage: 'config', message: `jwt-bearer: ${message}` }, cause === undefined ? {} : { cause });
}
