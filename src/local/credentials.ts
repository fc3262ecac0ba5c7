import { randomBytes, randomInt } from 'node:crypto';

/** Temporary credentials as the local identity pool hands them out (what STS would issue on AWS). */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The Cognito identity id (`<region>:<uuid>`): IAM's `${cognito-identity.amazonaws.com:sub}`. */
  identityId: string;
  roleArn: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * In-memory issuer and registry of temporary credentials, shared by the local identity pool
 * (which issues) and the local S3 endpoint (which looks the caller up to apply the role policy).
 */
export class CredentialStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly byAccessKey = new Map<string, IssuedCredentials>();

  constructor(opts: { ttlSeconds?: number; now?: () => number } = {}) {
    this.ttlMs = (opts.ttlSeconds ?? 3600) * 1000;
    this.now = opts.now ?? Date.now;
  }

  issue(identityId: string, roleArn: string): IssuedCredentials {
    this.sweep();
    let accessKeyId: string;
    do accessKeyId = `ASIA${randomKeyChars(16)}`;
    while (this.byAccessKey.has(accessKeyId));
    const issued: IssuedCredentials = {
      accessKeyId,
      // 40 characters, like a real secret access key.
      secretAccessKey: randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B'),
      sessionToken: randomBytes(96).toString('base64'),
      // Whole seconds: the JSON protocol carries epoch seconds, so the SDK sees exactly this instant.
      expiration: new Date(Math.floor((this.now() + this.ttlMs) / 1000) * 1000),
      identityId,
      roleArn,
    };
    this.byAccessKey.set(accessKeyId, issued);
    return issued;
  }

  /** The credentials for an access key id, or undefined when unknown or expired. */
  lookup(accessKeyId: string): IssuedCredentials | undefined {
    const found = this.byAccessKey.get(accessKeyId);
    if (!found) return undefined;
    if (found.expiration.getTime() <= this.now()) {
      this.byAccessKey.delete(accessKeyId);
      return undefined;
    }
    return found;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, value] of this.byAccessKey) if (value.expiration.getTime() <= now) this.byAccessKey.delete(key);
  }
}

function randomKeyChars(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  return out;
}
