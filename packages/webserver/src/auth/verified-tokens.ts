import { type ApiTokenRecord, type AuthStorage, hashTokenSecret, type Subscription } from "@bosun/storage";

/** A cached token is read again after this long, also if no revocation notice arrived (a safety net). */
const MAX_AGE_MS = 60_000;
/** Bound on cached tokens; beyond it the cache starts over (tokens are few; this only caps memory). */
const MAX_ENTRIES = 10_000;

/**
 * Tokens already found in storage, keyed by the hash of their secret, so that a busy client costs no
 * database round trip per request. Any revocation anywhere (storage notifies every webserver) drops the
 * whole cache, so a revoked token stops working as soon as the notice arrives. Unknown secrets are
 * never cached (they would let a caller fill memory); expiry is checked by the caller on every use.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { token: ApiTokenRecord; cachedAt: number }>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly storage: AuthStorage,
    private readonly now: () => Date,
  ) {}

  /** Starts following revocations; until then nothing is cached. */
  async start(): Promise<void> {
    this.subscription = await this.storage.watchTokenRevocations(() => this.entries.clear());
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    this.entries.clear();
    await subscription?.close();
  }

  /** The token with this secret, from the cache or storage; null when storage knows none. */
  async find(secret: string): Promise<ApiTokenRecord | null> {
    const key = hashTokenSecret(secret).toString("base64");
    const at = this.now().getTime();
    const cached = this.entries.get(key);
    if (cached && at - cached.cachedAt < MAX_AGE_MS) return cached.token;
    const token = await this.storage.findTokenBySecret(secret);
    if (token && token.revokedAt === null && this.subscription !== null) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { token, cachedAt: at });
    } else this.entries.delete(key);
    return token;
  }

  /** Notes a use recorded in storage, so the cached copy does not ask for another write at once. */
  noteUse(secret: string, token: ApiTokenRecord, at: Date): void {
    const key = hashTokenSecret(secret).toString("base64");
    const cached = this.entries.get(key);
    if (cached) this.entries.set(key, { token: { ...token, lastUsedAt: at }, cachedAt: cached.cachedAt });
  }
}
