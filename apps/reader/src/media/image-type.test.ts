import { describe, expect, it } from 'vitest';
import { isRefusedDeclaredType, sniffRasterType } from './image-type.js';

const ascii = (text: string) => [...Buffer.from(text, 'latin1')];
const withBody = (head: number[]) => new Uint8Array([...head, ...new Array<number>(32).fill(0)]);
/** An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + compatible.length * 4;
  return [0, 0, 0, size, ...ascii('ftyp'), ...ascii(major), 0, 0, 0, 0, ...compatible.flatMap(ascii)];
};

describe('sniffRasterType', () => {
  it.each([
    ['PNG', [0x89, ...ascii('PNG\r\n\x1a\n')], 'image/png'],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
    ['GIF87a', ascii('GIF87a'), 'image/gif'],
    ['GIF89a', ascii('GIF89a'), 'image/gif'],
    ['WebP', [...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WEBP')], 'image/webp'],
    ['AVIF (major brand)', ftyp('avif', 'mif1'), 'image/avif'],
    ['AVIF sequence', ftyp('avis'), 'image/avif'],
    ['AVIF (compatible brand)', ftyp('mif1', 'miaf', 'avif'), 'image/avif'],
  ])('recognises %s', (_name, head, type) => {
    expect(sniffRasterType(withBody(head))?.mediaType).toBe(type);
  });

  it.each([
    ['SVG', ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['SVG with an XML declaration', ascii('<?xml version="1.0"?><svg/>')],
    ['HTML', ascii('<!doctype html><script>alert(1)</script>')],
    ['a PNG signature cut short', [0x89, ...ascii('PNG\r\n')]],
    ['RIFF that is not WebP (WAV)', [...ascii('RIFF'), 1, 2, 3, 4, ...ascii('WAVE')]],
    ['ISO-BMFF that is not AVIF (HEIC, MP4)', ftyp('heic', 'mif1')],
    ['MP4', ftyp('isom', 'mp41')],
    ['a BMP', ascii('BM')],
    ['nothing', []],
  ])('refuses %s', (_name, head) => {
    expect(sniffRasterType(new Uint8Array(head))).toBeUndefined();
    expect(sniffRasterType(withBody(head))).toBeUndefined();
  });
});

describe('isRefusedDeclaredType', () => {
  it.each([null, 'image/png', 'IMAGE/JPEG; charset=binary', 'application/octet-stream', 'binary/octet-stream', ''])(
    'lets %s through to the sniffing',
    (type) => {
      expect(isRefusedDeclaredType(type)).toBe(false);
    },
  );

  it.each([
    'image/svg+xml',
    'image/svg',
    'text/html',
    'text/xml',
    'application/xml',
    'application/javascript',
    'text/plain',
  ])('refuses %s without looking', (type) => {
    expect(isRefusedDeclaredType(type)).toBe(true);
  });
});
