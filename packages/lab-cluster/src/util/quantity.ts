// Kubernetes resource.Quantity parsing, reduced to what quota admission needs.
// Values are held as numbers in base units (cores, bytes, items); tiny float
// error is absorbed by comparing with an epsilon in `exceeds`.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY_RE =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** Parses a quantity such as `500m`, `64Gi`, `1e3`, `2`; throws on garbage. */
export function parseQuantity(input: string | number): number {
  if (typeof input === 'number') return input;
  const s = String(input).trim();
  const m = QUANTITY_RE.exec(s);
  if (!m) {
    throw new Error(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  }
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  if (suffix in BINARY) return base * BINARY[suffix];
  return base * DECIMAL[suffix];
}

export function isValidQuantity(input: unknown): boolean {
  if (typeof input === 'number') return Number.isFinite(input);
  return typeof input === 'string' && QUANTITY_RE.test(input.trim());
}

function isMemoryLike(resource: string): boolean {
  return /memory|storage/.test(resource);
}

/** Formats a value the way the API server prints it in quota messages. */
export function formatQuantity(value: number, resource = ''): string {
  const rounded = Math.round(value * 1e9) / 1e9;
  if (isMemoryLike(resource) && Number.isInteger(rounded) && rounded !== 0) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = BINARY[suffix];
      if (rounded % unit === 0) return `${rounded / unit}${suffix}`;
    }
    return String(rounded);
  }
  if (Number.isInteger(rounded)) return String(rounded);
  const milli = Math.round(rounded * 1000);
  if (Math.abs(milli / 1000 - rounded) < 1e-9) return `${milli}m`;
  return `${Math.round(rounded * 1e9)}n`;
}

export function exceeds(value: number, limit: number): boolean {
  return value - limit > 1e-9;
}
