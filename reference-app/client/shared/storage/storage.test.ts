// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authStore, parseAuthState } from './auth-store.ts';
import { DEFAULT_PREFERENCES, preferencesStore } from './preferences-store.ts';
import { createVersionedStore } from './versioned-store.ts';

const PREFS_KEY = 'perfkit.preferences';
const AUTH_KEY = 'perfkit.auth';
const user = {
  id: 3,
  email: 'owner@business-1.example',
  displayName: 'Owner',
  role: 'owner' as const,
  businessId: 1,
  businessName: 'Business 1',
};

/** What another tab's write looks like to this one: the value changes, then a storage event arrives. */
function writeFromOtherTab(key: string, value: string | null): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, value);
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea: localStorage }));
}

afterEach(() => localStorage.clear());

describe('versioned localStorage', () => {
  it('round-trips a valid value inside a versioned envelope', () => {
    const prefs = { ...DEFAULT_PREFERENCES, theme: 'dark' as const, favoriteMetrics: ['revenue'] };
    preferencesStore.set(prefs);
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '')).toEqual({ v: 1, data: prefs });
    expect(preferencesStore.get()).toEqual(prefs);
  });

  it.each([
    ['not JSON', '{oops'],
    ['an older version', JSON.stringify({ v: 0, data: { theme: 'dark' } })],
    ['a newer version', JSON.stringify({ v: 2, data: { ...DEFAULT_PREFERENCES, theme: 'dark' } })],
    ['no envelope', JSON.stringify({ ...DEFAULT_PREFERENCES, theme: 'dark' })],
    ['a wrong field type', JSON.stringify({ v: 1, data: { ...DEFAULT_PREFERENCES, favoriteMetrics: 'revenue' } })],
    ['an unknown theme', JSON.stringify({ v: 1, data: { ...DEFAULT_PREFERENCES, theme: 'neon' } })],
  ])('discards %s and falls back to the defaults', (_what, raw) => {
    localStorage.setItem(PREFS_KEY, raw);
    expect(preferencesStore.get()).toEqual(DEFAULT_PREFERENCES);
    expect(localStorage.getItem(PREFS_KEY)).toBeNull();
  });

  it('keeps only who is logged in, and rejects a stored identity that is not a user', () => {
    authStore.set({ user, since: 1 });
    const stored = JSON.parse(localStorage.getItem(AUTH_KEY) ?? '') as { data: { user: object } };
    expect(Object.keys(stored.data).sort()).toEqual(['since', 'user']);
    expect(Object.keys(stored.data.user).sort()).toEqual([
      'businessId',
      'businessName',
      'displayName',
      'email',
      'id',
      'role',
    ]);
    // Extra fields in storage (say, a token some old build wrote) are not carried into the app.
    localStorage.setItem(AUTH_KEY, JSON.stringify({ v: 1, data: { user: { ...user, sessionToken: 'x' }, since: 1 } }));
    expect(authStore.get()?.user).toEqual(user);
    expect(authStore.get()?.user.email).toBe(user.email);
    expect(parseAuthState({ user: { ...user, id: '3' }, since: 1 })).toBeNull();
    localStorage.setItem(AUTH_KEY, JSON.stringify({ v: 1, data: { user: { email: 'x' }, since: 1 } }));
    expect(authStore.get()).toBeNull();
    expect(localStorage.getItem(AUTH_KEY)).toBeNull();
  });

  it('notifies subscribers when another tab changes or clears the value', () => {
    const seen: (string | undefined)[] = [];
    const unsubscribe = authStore.subscribe(() => seen.push(authStore.get()?.user.email));
    writeFromOtherTab(AUTH_KEY, JSON.stringify({ v: 1, data: { user, since: 2 } }));
    writeFromOtherTab('unrelated', 'x');
    writeFromOtherTab(AUTH_KEY, null);
    unsubscribe();
    writeFromOtherTab(AUTH_KEY, JSON.stringify({ v: 1, data: { user, since: 3 } }));
    expect(seen).toEqual([user.email, undefined]);
  });

  it('returns the same object for unchanged storage (stable for useSyncExternalStore)', () => {
    preferencesStore.set({ ...DEFAULT_PREFERENCES, theme: 'light' });
    expect(preferencesStore.get()).toBe(preferencesStore.get());
  });

  it('keeps working in memory when storage throws (disabled or full)', () => {
    const broken = {
      getItem: vi.fn(() => {
        throw new Error('SecurityError');
      }),
      setItem: vi.fn(() => {
        throw new Error('QuotaExceededError');
      }),
      removeItem: vi.fn(),
    } as unknown as Storage;
    const store = createVersionedStore(
      { key: 'k', version: 1, validate: (v) => (typeof v === 'number' ? v : null), fallback: 0 },
      { storage: broken, target: window },
    );
    store.set(5);
    expect(store.get()).toBe(5);
  });
});
