import type { ReactElement } from 'react';
import { Trans } from 'react-i18next';

interface SentenceProps {
  /** A literal "namespace:key" (the translations test reads it from the source). */
  i18nKey: string;
  /** What the sentence names: an email, a key's name, a date; text the user or the server wrote. */
  values?: Readonly<Record<string, string>>;
  /** The elements its markup stands for: `strong: <strong className="wrap-anywhere" />`. */
  components?: Readonly<Record<string, ReactElement>>;
}

/**
 * A translated sentence with markup around its values ("Sent. Check <strong>{{email}}</strong>.").
 * <Trans> fills the values in before it reads the markup, so each value is escaped on the way
 * in and unescaped in the text it ends up in: a name like "<0>" or "<strong>" stays text, never
 * a tag, and shows exactly as typed.
 */
export function Sentence({ i18nKey, values = {}, components = {} }: SentenceProps) {
  return (
    <Trans
      i18nKey={i18nKey}
      values={values}
      components={components}
      tOptions={{ interpolation: { escapeValue: true } }}
      shouldUnescape
    />
  );
}
