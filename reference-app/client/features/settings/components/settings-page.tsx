import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { RANGES, THEMES, usePreferences } from '../../../shared/storage/preferences-store.ts';
import type { Preferences, Range, Theme } from '../../../shared/storage/preferences-store.ts';
import { useProfile } from '../api/get-profile.ts';
import { useUpdateProfile } from '../api/update-profile.ts';

const THEME_LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', system: 'Match my device' };
const RANGE_LABELS: Record<Range, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

export interface MetricChoice {
  metric: string;
  label: string;
}

/** Preferences and display name. Changes apply locally at once and are saved to the profile. */
export default function SettingsPage({ metrics }: { metrics: MetricChoice[] }) {
  const id = useId();
  const stored = usePreferences();
  const profile = useProfile();
  const update = useUpdateProfile();
  const [draftName, setDraftName] = useState<string | null>(null);
  const displayName = draftName ?? profile.data?.user.displayName ?? '';

  const save = (preferences: Preferences) => update.mutate({ preferences });
  const toggleFavorite = (metric: string, on: boolean) => {
    const rest = stored.favoriteMetrics.filter((m) => m !== metric);
    save({ ...stored, favoriteMetrics: on ? [...rest, metric] : rest });
  };
  const onSaveName = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (displayName.trim()) update.mutate({ displayName: displayName.trim() }, { onSuccess: () => setDraftName(null) });
  };

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title">Settings</h1>
      <form className="card form" onSubmit={onSaveName}>
        <h2 className="card-title">Profile</h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Display name</label>
          <input
            id={`${id}-name`}
            value={displayName}
            onChange={(e) => setDraftName(e.target.value)}
            autoComplete="name"
          />
        </div>
        <button className="button" type="submit" disabled={update.isPending || draftName === null}>
          Save name
        </button>
      </form>
      <div className="card form">
        <fieldset>
          <legend className="card-title">Theme</legend>
          {THEMES.map((theme) => (
            <label key={theme} className="choice">
              <input
                type="radio"
                name="theme"
                value={theme}
                checked={stored.theme === theme}
                onChange={() => save({ ...stored, theme })}
              />
              {THEME_LABELS[theme]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-range`}>Default chart range</label>
          <select
            id={`${id}-range`}
            value={stored.defaultRange}
            onChange={(e) => save({ ...stored, defaultRange: e.target.value as Range })}
          >
            {RANGES.map((range) => (
              <option key={range} value={range}>
                {RANGE_LABELS[range]}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend className="card-title">Favorite metrics (shown first)</legend>
          {metrics.map((m) => (
            <label key={m.metric} className="choice">
              <input
                type="checkbox"
                checked={stored.favoriteMetrics.includes(m.metric)}
                onChange={(e) => toggleFavorite(m.metric, e.target.checked)}
              />
              {m.label}
            </label>
          ))}
        </fieldset>
        <p role="status" className="small muted">
          {update.isPending
            ? 'Saving…'
            : update.isError
              ? 'Saved on this device; the server could not be reached.'
              : update.isSuccess
                ? 'Saved.'
                : ''}
        </p>
      </div>
    </section>
  );
}
