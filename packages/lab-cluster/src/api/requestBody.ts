// Request bodies and field managers of writes.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest } from './errors';

/** The field manager of a write: `fieldManager`, else the user agent's program name. */
export function fieldManagerOf(
  req: IncomingMessage,
  q: URLSearchParams,
): string {
  const explicit = q.get('fieldManager');
  if (explicit) return explicit;
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

/** JSON or YAML body; an empty or malformed one is a 400. */
export function parseBody(body: Buffer, contentType: string | undefined): any {
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw badRequest(
      'the server rejected our request due to an error in our request: empty body',
    );
  try {
    if (contentType && /yaml/.test(contentType)) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the server rejected our request due to an error in our request: ${
        (e as Error).message
      }`,
    );
  }
}
