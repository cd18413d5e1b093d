/**
 * The raster formats the media proxy passes on, by their magic bytes. The type a server
 * declares is not believed: an "image/png" that is really HTML or SVG (which can carry
 * script) is refused, and what we send is the type found here, with nosniff. SVG is never
 * on the list: it is a document, not a picture. Policy as data: [type, extension, test].
 */
const RASTER_FORMATS: readonly (readonly [string, string, (bytes: Uint8Array) => boolean])[] = [
  ['image/png', 'png', (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', 'jpg', (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff])],
  ['image/gif', 'gif', (bytes) => ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a'],
  ['image/webp', 'webp', (bytes) => ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP'],
  ['image/avif', 'avif', isAvif],
];

export interface RasterType {
  /** What the proxy answers as Content-Type. */
  mediaType: string;
  /** The cache file's extension, from which the type is known again after a restart. */
  extension: string;
}

/** The raster format `bytes` start with, or undefined for anything else (SVG, HTML, text…). */
export function sniffRasterType(bytes: Uint8Array): RasterType | undefined {
  const found = RASTER_FORMATS.find(([, , test]) => test(bytes));
  return found && { mediaType: found[0], extension: found[1] };
}

/** The type a cache file's extension stands for. */
export function rasterTypeOfExtension(extension: string): RasterType | undefined {
  const found = RASTER_FORMATS.find(([, known]) => known === extension);
  return found && { mediaType: found[0], extension: found[1] };
}

/**
 * A declared Content-Type the proxy does not even look into: anything that says it is not a
 * raster image (HTML, XML, SVG, script…). Absent, image/* and the generic binary types are
 * let through to the sniffing, which has the last word.
 */
export function isRefusedDeclaredType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') return false;
  return !type.startsWith('image/') || type.startsWith('image/svg');
}

/**
 * AVIF is an ISO-BMFF file whose first box is `ftyp`, naming `avif` (still) or `avis`
 * (sequence) as its major brand or among its compatible brands.
 */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  // Brands are read up to the end of the box, of what was read, and of a sane size.
  const declaredSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const boxSize = Math.min(declaredSize, bytes.length, 256);
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands.includes('avif') || brands.includes('avis');
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return end <= bytes.length ? String.fromCharCode(...bytes.subarray(start, end)) : '';
}
