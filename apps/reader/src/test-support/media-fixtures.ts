import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A real PNG of one colour, small enough to write inline and decodable by Chromium. */
export function solidPng(
  width: number,
  height: number,
  rgb: readonly [number, number, number] = [200, 40, 40],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function serveBytes(body: Buffer | string, contentType: string): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'Content-Type': contentType }).end(body);
  };
}

/** What a streaming fixture sent before the client hung up: proof that it was cut, not read. */
export interface StreamMeter {
  bytesSent: number;
  closed: boolean;
}

/**
 * An image that never ends (PNG signature, then zeros, without a Content-Length), or one that
 * declares a size of `declaredBytes`: the "2 GB image". It writes only as fast as the client
 * reads, so a client that buffered everything would be seen reading far past its cap.
 */
export function endlessImage(meter: StreamMeter, declaredBytes?: number): Handler {
  return (_request, response) => {
    const headers: Record<string, string> = { 'Content-Type': 'image/png' };
    if (declaredBytes !== undefined) headers['Content-Length'] = String(declaredBytes);
    response.writeHead(200, headers);
    const zeros = Buffer.alloc(64 * 1024);
    response.on('close', () => {
      meter.closed = true;
    });
    response.write(PNG_SIGNATURE);
    meter.bytesSent += PNG_SIGNATURE.length;
    const pump = () => {
      while (!response.destroyed) {
        meter.bytesSent += zeros.length;
        if (!response.write(zeros)) {
          response.once('drain', pump);
          return;
        }
      }
    };
    pump();
  };
}

/** A real image sent one byte at a time, a byte every `intervalMs`: the slow drip. */
export function drippingImage(image: Buffer, meter: StreamMeter, intervalMs = 100): Handler {
  return (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(image.length) });
    let sent = 0;
    const timer = setInterval(() => {
      if (response.destroyed || sent >= image.length) {
        clearInterval(timer);
        if (!response.destroyed) response.end();
        return;
      }
      response.write(image.subarray(sent, sent + 1));
      sent += 1;
      meter.bytesSent = sent;
    }, intervalMs);
    response.on('close', () => {
      meter.closed = true;
      clearInterval(timer);
    });
  };
}

/** An SVG whose script would run if it were ever opened as a document of ours. */
export const SVG_WITH_SCRIPT = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__mediaRan='onload'">
  <script>window.__mediaRan = 'script'; fetch('/api/auth/me');</script>
  <rect width="10" height="10" fill="red"/>
</svg>`;

/** An HTML page with a script, the body of a "not an image" answer. */
export const HTML_WITH_SCRIPT = '<!doctype html><title>x</title><script>window.__mediaRan = "html"</script>';
