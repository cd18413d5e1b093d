/** A feed's initial on a coloured tile, as the seed shows: no remote favicons (the CSP allows none). */
export function FeedTile({ title, size = 'small' }: { title: string; size?: 'small' | 'large' }) {
  const letter = Array.from(title.trim())[0]?.toUpperCase() ?? '?';
  let hash = 0;
  for (const char of title) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return (
    <span className={`feed-tile feed-tile-${size} tile-${String(hash % 8)}`} aria-hidden="true">
      {letter}
    </span>
  );
}
