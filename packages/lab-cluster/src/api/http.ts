// Response and request plumbing shared by every handler module.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  raw?: string,
): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

export function readBody(
  req: IncomingMessage,
  maxBytes = 32 * 1024 * 1024,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(
          new ApiError(
            413,
            'RequestEntityTooLarge',
            'request entity too large',
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
