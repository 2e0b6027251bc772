import type { IncomingMessage } from 'node:http';
import type { Args } from './args.js';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Reads a whole request body (up to `limit` bytes). */
export function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Splits a multipart/form-data body into its parts. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const chunk = body.subarray(start + 2, next - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const data = chunk.subarray(headerEnd + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1];
      parts.push({ name, data, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) });
    }
    pos = next;
  }
  return parts;
}

/** The multipart boundary of a content type, if it is multipart/form-data. */
export function multipartBoundary(contentType: string): string | undefined {
  if (!/^multipart\/form-data/i.test(contentType)) return undefined;
  return /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)?.slice(1).find((s) => s !== undefined);
}

/** Web API arguments from a body (form, JSON or multipart) merged over the query string; files come back as Buffers. */
export function parseArgs(contentType: string, body: Buffer, query: URLSearchParams): { args: Args; json: boolean } {
  const args: Args = Object.fromEntries(query.entries());
  const type = contentType.toLowerCase();
  if (type.startsWith('application/json')) {
    const text = body.toString('utf8');
    if (text.trim() === '') return { args, json: true };
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('JSON body must be an object');
    return { args: { ...args, ...(parsed as Args) }, json: true };
  }
  const boundary = multipartBoundary(contentType);
  if (boundary) {
    for (const p of parseMultipart(body, boundary)) args[p.name] = p.filename !== undefined ? p.data : p.data.toString('utf8');
    return { args, json: false };
  }
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) args[k] = v;
  return { args, json: false };
}
