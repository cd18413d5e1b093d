import { useState } from 'react';

/**
 * An item's picture in the list: decorative (the title says what the item is), a fixed
 * square so rows never move as pictures load, loaded only near the screen, and sent with no
 * Referer (the reader's address is none of the image host's business). One that fails to
 * load is left out rather than shown broken.
 */
export function ItemThumbnail({ url }: { url: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return null;
  return (
    <img
      className="item-thumb"
      src={url}
      alt=""
      width={64}
      height={64}
      loading="lazy"
      decoding="async"
      referrerPolicy="no-referrer"
      onError={() => {
        setFailed(true);
      }}
    />
  );
}
