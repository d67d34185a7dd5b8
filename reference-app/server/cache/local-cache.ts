import { createHash } from 'node:crypto';

/** A cached, already-serialised response body with its validator; compressed variants are filled lazily. */
export interface CachedBody {
  body: Buffer;
  etag: string;
  storedAt: number;
  expiresAt: number;
  gzip?: Buffer;
  br?: Buffer;
}

export function makeCachedBody(json: string, storedAt: number, expiresAt: number): CachedBody {
  const body = Buffer.from(json);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { body, etag, storedAt, expiresAt };
}

interface Entry {
  version: number;
  value: CachedBody;
}

const MAX_ENTRIES = 10_000;

/**
 * The in-process (L1) layer in front of Redis. Entries are tagged with their
 * scope's version; an invalidation message bumps the version and drops the
 * scope, so a build that started before it can never be stored after it.
 */
export class LocalCache {
  private readonly scopes = new Map<string, Map<string, Entry>>();
  private readonly versions = new Map<string, number>();
  private size = 0;

  version(scope: string): number | undefined {
    return this.versions.get(scope);
  }

  /** Learns a scope's version; a newer one drops the scope's entries. */
  setVersion(scope: string, version: number): void {
    const known = this.versions.get(scope);
    if (known !== undefined && known >= version) return;
    this.versions.set(scope, version);
    this.dropScope(scope);
  }

  get(scope: string, name: string, now: number): CachedBody | undefined {
    const entry = this.scopes.get(scope)?.get(name);
    if (!entry) return undefined;
    if (entry.version !== this.versions.get(scope) || entry.value.expiresAt <= now) {
      this.scopes.get(scope)?.delete(name);
      this.size -= 1;
      return undefined;
    }
    return entry.value;
  }

  set(scope: string, name: string, version: number, value: CachedBody): void {
    if (this.versions.get(scope) !== version) return;
    if (this.size >= MAX_ENTRIES) this.clear();
    let m = this.scopes.get(scope);
    if (!m) {
      m = new Map();
      this.scopes.set(scope, m);
    }
    if (!m.has(name)) this.size += 1;
    m.set(name, { version, value });
  }

  dropScope(scope: string): void {
    const m = this.scopes.get(scope);
    if (!m) return;
    this.size -= m.size;
    this.scopes.delete(scope);
  }

  /** Forgets everything, versions included (after a lost connection messages may have been missed). */
  clear(): void {
    this.scopes.clear();
    this.versions.clear();
    this.size = 0;
  }
}
