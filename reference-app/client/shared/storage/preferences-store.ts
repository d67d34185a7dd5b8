import { useSyncExternalStore } from 'react';
import { createVersionedStore } from './versioned-store.ts';
import { isOneOf, isRecord, isStringArray } from './validate.ts';

export const THEMES = ['light', 'dark', 'system'] as const;
export const RANGES = ['24h', '7d', '30d'] as const;
export type Theme = (typeof THEMES)[number];
export type Range = (typeof RANGES)[number];

/** The user's preferences, same shape as the server's `preferences` (API.md). */
export interface Preferences {
  theme: Theme;
  defaultRange: Range;
  favoriteMetrics: string[];
  version: 1;
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  defaultRange: '24h',
  favoriteMetrics: [],
  version: 1,
};

export function parsePreferences(raw: unknown): Preferences | null {
  if (!isRecord(raw)) return null;
  const { theme, defaultRange, favoriteMetrics, version } = raw;
  if (version !== 1 || !isOneOf(theme, THEMES) || !isOneOf(defaultRange, RANGES) || !isStringArray(favoriteMetrics)) {
    return null;
  }
  return { theme, defaultRange, favoriteMetrics: favoriteMetrics.slice(0, 50), version: 1 };
}

export const preferencesStore = createVersionedStore<Preferences>({
  key: 'perfkit.preferences',
  version: 1,
  validate: parsePreferences,
  fallback: DEFAULT_PREFERENCES,
});

export function usePreferences(): Preferences {
  return useSyncExternalStore(preferencesStore.subscribe, preferencesStore.get, () => DEFAULT_PREFERENCES);
}

/** Sets `data-theme` on <html>; "system" leaves it to the prefers-color-scheme media query. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
