import type { Kysely } from 'kysely';
import type { PreferencesTable, ReaderDatabase } from '../db/schema.js';
import {
  DEFAULT_PREFERENCES,
  FONT_SIZES,
  LANGUAGES,
  LINE_WIDTHS,
  THEMES,
  oneOf,
  type Preferences,
  type PreferencesPatch,
} from './preferences.js';

type PreferenceColumns = Omit<PreferencesTable, 'user_id' | 'updated_at'>;

/** Reading preferences, one row per user who changed one. Methods take the user id first. */
export class PreferenceStore {
  constructor(private readonly db: Kysely<ReaderDatabase>) {}

  /** The user's preferences; the defaults for everything never chosen. */
  async get(userId: string): Promise<Preferences> {
    const row = await this.db
      .selectFrom('preferences')
      .select(['language', 'theme', 'font_size', 'line_width', 'mark_read_on_scroll'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row === undefined ? { ...DEFAULT_PREFERENCES } : fromColumns(row);
  }

  /**
   * Writes only the fields in `patch`, in one upsert: two clients changing different
   * preferences at the same time both keep their change.
   */
  async update(userId: string, patch: PreferencesPatch, now: number): Promise<Preferences> {
    const columns = toColumns(patch);
    if (Object.keys(columns).length > 0) {
      await this.db
        .insertInto('preferences')
        .values({ user_id: userId, ...columns, updated_at: now })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ ...columns, updated_at: now }))
        .execute();
    }
    return this.get(userId);
  }
}

function fromColumns(row: PreferenceColumns): Preferences {
  const defaults = DEFAULT_PREFERENCES;
  return {
    language: LANGUAGES.find((language) => language === row.language) ?? defaults.language,
    theme: oneOf(THEMES, row.theme, defaults.theme),
    fontSize: oneOf(FONT_SIZES, row.font_size, defaults.fontSize),
    lineWidth: oneOf(LINE_WIDTHS, row.line_width, defaults.lineWidth),
    markReadOnScroll: row.mark_read_on_scroll === null ? defaults.markReadOnScroll : row.mark_read_on_scroll === 1,
  };
}

/** The columns `patch` names; an absent field stays out, so its column keeps its value. */
function toColumns(patch: PreferencesPatch): Partial<PreferenceColumns> {
  const columns: Partial<PreferenceColumns> = {};
  if (patch.language !== undefined) columns.language = patch.language;
  if (patch.theme !== undefined) columns.theme = patch.theme;
  if (patch.fontSize !== undefined) columns.font_size = patch.fontSize;
  if (patch.lineWidth !== undefined) columns.line_width = patch.lineWidth;
  if (patch.markReadOnScroll !== undefined) columns.mark_read_on_scroll = patch.markReadOnScroll ? 1 : 0;
  return columns;
}
