// Object metadata helpers shared by the write paths.
import { randomUUID } from 'node:crypto';

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function newUid(): string {
  return randomUUID();
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specOf(obj: any): string {
  const { metadata: _m, status: _s, ...rest } = obj ?? {};
  return JSON.stringify(rest);
}

export function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++)
    s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
