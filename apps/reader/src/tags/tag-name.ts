import { z } from 'zod';

/**
 * A tag is a user's own label for items. Its name is shown as typed (trimmed, inner white
 * space as one space); two names that differ only in case or width ("Rust", "rust",
 * "ＲＵＳＴ") are the same tag, compared by `tagKey`.
 */

export const TAG_LIMITS = {
  nameLength: 50,
  tagsPerItem: 20,
  tagsPerUser: 500,
} as const;

export function tidyTagName(name: string): string {
  return name.trim().replace(/\s+/gu, ' ');
}

export function tagKey(name: string): string {
  return tidyTagName(name).normalize('NFKC').toLowerCase();
}

export const TagName = z
  .string({ message: 'must be text' })
  .transform(tidyTagName)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(TAG_LIMITS.nameLength, `must be at most ${String(TAG_LIMITS.nameLength)} characters`)
      // Control characters and lone surrogates would be invisible or break the text.
      .refine((name) => !/[\p{Cc}\p{Cs}]/u.test(name), 'must be printable text'),
  );
