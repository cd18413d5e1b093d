/**
 * The reader keeps no favicons, and fetching them for a sync call would be an outbound
 * request to any site a feed names. So there is one favicon: a transparent 1×1 PNG, id 1,
 * and every feed's `favicon_id` points at it. Clients look a feed's favicon up by that id;
 * one that always resolves is safer than an id missing from the list, and clients then
 * draw their own placeholder over a transparent image.
 */
export const PLACEHOLDER_FAVICON_ID = 1;

const TRANSPARENT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=';

/** The protocol's favicon object: `data` is a data-URI body without the `data:` scheme. */
export function feverFavicons(): { id: number; data: string }[] {
  return [{ id: PLACEHOLDER_FAVICON_ID, data: `image/png;base64,${TRANSPARENT_PNG}` }];
}
