import { z } from 'zod';

// A user's reading preferences: the values each may take, the defaults of a user who never
// chose, and the shape a PATCH may have. Policy as data; the store and routes only use it.

export const LANGUAGES = ['en', 'zh-CN'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;
export const FONT_SIZES = ['small', 'medium', 'large', 'x-large'] as const;
export const LINE_WIDTHS = ['narrow', 'medium', 'wide'] as const;

export interface Preferences {
  /** null: follow the browser's language. */
  language: (typeof LANGUAGES)[number] | null;
  /** 'system' follows the operating system's light or dark setting. */
  theme: (typeof THEMES)[number];
  fontSize: (typeof FONT_SIZES)[number];
  lineWidth: (typeof LINE_WIDTHS)[number];
  markReadOnScroll: boolean;
}

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  language: null,
  theme: 'system',
  fontSize: 'medium',
  lineWidth: 'medium',
  markReadOnScroll: false,
});

/**
 * Any subset of the preferences. Strict: a misspelt or unknown field is a 400, not a change
 * silently dropped while the client believes it was saved.
 */
export const PreferencesPatch = z.strictObject(
  {
    language: z.enum(LANGUAGES, { message: 'must be en, zh-CN or null' }).nullable().optional(),
    theme: z.enum(THEMES, { message: 'must be system, light or dark' }).optional(),
    fontSize: z.enum(FONT_SIZES, { message: 'must be small, medium, large or x-large' }).optional(),
    lineWidth: z.enum(LINE_WIDTHS, { message: 'must be narrow, medium or wide' }).optional(),
    markReadOnScroll: z.boolean({ message: 'must be true or false' }).optional(),
  },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `has unknown fields: ${issue.keys.join(', ')}` : undefined),
  },
);

export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

/** The stored value if it is one of `allowed`, else the default (a row from an older or foreign writer). */
export function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}
