/**
 * Item ids in the Google Reader dialect. Our items have integer ids; the protocol names them
 * in several spellings, and clients disagree on which they send back:
 *
 * - long form `tag:google.com,2005:reader/item/<hex>`: 16 hex digits as we write it, fewer
 *   when a client drops the padding (NetNewsWire);
 * - the bare 16-digit hex of the long form, without its prefix (Reeder, NetNewsWire's
 *   edit-tag), and `0x<hex>`;
 * - short form: the id in decimal (`stream/items/ids` answers with it; Liferea sends it).
 *
 * A 16-character string of digits could be either; it is read as hex, the way the long form
 * writes it: decimal ids that long (10^15 items) do not exist here.
 */

export const LONG_ITEM_ID_PREFIX = 'tag:google.com,2005:reader/item/';

const LONG_FORM = /^tag:google\.com,2005:reader\/item\/([0-9a-f]{1,16})$/iu;
const BARE_HEX = /^(?:0x([0-9a-f]{1,16})|([0-9a-f]{16}))$/iu;
const DECIMAL = /^\d{1,16}$/u;

/** The long form, as every item JSON and Atom entry carries it. */
export function longItemId(id: number): string {
  return `${LONG_ITEM_ID_PREFIX}${id.toString(16).padStart(16, '0')}`;
}

/** The short form: the decimal id. */
export function shortItemId(id: number): string {
  return String(id);
}

/**
 * The integer an id names, or undefined when it is not one of the spellings above or names
 * no possible item (0, or beyond what a JavaScript number holds exactly: such an id would
 * silently round to a neighbour's).
 */
export function parseItemId(value: string): number | undefined {
  const text = value.trim();
  const bare = BARE_HEX.exec(text);
  const hex = LONG_FORM.exec(text)?.[1] ?? bare?.[1] ?? bare?.[2];
  let parsed: bigint;
  if (hex !== undefined) parsed = BigInt(`0x${hex}`);
  else if (DECIMAL.test(text)) parsed = BigInt(text);
  else return undefined;
  if (parsed <= 0n || parsed > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(parsed);
}
