// The preferences kept in clear (preferences.json): a change is saved over the saved set, so
// that saving one preference never resets another.

/** Fields of `get_preferences`' answer that describe the computer, not the preferences. */
const VIEW_FIELDS = ['shortcuts', 'shortcutAvailable', 'problem', 'startAtLogin'];

/** The preferences to save: `saved` (as `get_preferences` answers) with `changes` over it. */
export function withChanges(saved, changes) {
  const preferences = { ...saved, ...changes };
  for (const field of VIEW_FIELDS) delete preferences[field];
  return preferences;
}

/** The page's `data-theme`: 'light' or 'dark' when chosen, null to follow the OS. */
export function themeOf(preferences) {
  const theme = preferences && preferences.theme;
  return theme === 'light' || theme === 'dark' ? theme : null;
}
