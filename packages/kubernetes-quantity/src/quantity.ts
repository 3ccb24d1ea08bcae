/**
 * How a quantity is written, as in `k8s.io/apimachinery/pkg/api/resource`:
 * the suffix of the parsed text decides, and formatting keeps it.
 *
 * @public
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/**
 * A Kubernetes resource quantity held exactly: an integer number of
 * nano-units (10^-9 of the base unit: cores, bytes, GPUs). Like the API
 * server, parsing rounds any finer precision up to 1n and caps the magnitude
 * at 2^63-1 base units, so CPU millicores and bytes are always exact.
 *
 * @public
 */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/**
 * Thrown for text that is not a Kubernetes quantity. Its name is
 * `InputError`, so Backstage's error middleware answers 400 without this
 * package depending on `@backstage/errors`.
 *
 * @public
 */
export class QuantityError extends Error {
  readonly input: string;

  constructor(input: string, reason: string) {
    super(`"${input}" is not a Kubernetes quantity: ${reason}`);
    this.name = 'InputError';
    this.input = input;
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;
const MAX_NANOS = (2n ** 63n - 1n) * NANOS_PER_UNIT;
const MAX_EXPONENT = 2 ** 31 - 1;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const DECIMAL_BY_EXPONENT = new Map(
  Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]),
);
const BINARY_BY_EXPONENT = new Map(
  Object.entries(BINARY_SUFFIXES).map(([suffix, exp]) => [exp, suffix]),
);

// <signedNumber><suffix> of quantity.go; `1E` is exa, `1E3` an exponent.
const GRAMMAR =
  /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Parses a Kubernetes quantity (`8`, `500m`, `1.5Gi`, `1e3`, `-2k`) exactly
 * as the API server does: signs, fractions, decimal and binary SI suffixes
 * and decimal exponents; no surrounding whitespace.
 *
 * @throws QuantityError naming the input when the text is not a quantity.
 * @public
 */
export function parseQuantity(text: string): Quantity {
  if (typeof text !== 'string') {
    throw new QuantityError(String(text), 'expected a string');
  }
  if (text === '') {
    throw new QuantityError(text, 'it is empty');
  }
  const match = GRAMMAR.exec(text);
  if (!match) {
    throw new QuantityError(
      text,
      'expected a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)',
    );
  }
  const [, sign, whole, wholeFraction, bareFraction, binary, exponent, si] =
    match;
  const fraction = wholeFraction ?? bareFraction ?? '';
  const mantissa = BigInt(`${whole ?? ''}${fraction}` || '0');
  const scale = fraction.length;

  let format: QuantityFormat = 'DecimalSI';
  let nanos: bigint;
  if (binary) {
    format = 'BinarySI';
    const scaled =
      mantissa * 2n ** BigInt(BINARY_SUFFIXES[binary]) * NANOS_PER_UNIT;
    nanos = ceilDiv(scaled, 10n ** BigInt(scale));
  } else {
    let power: number;
    if (exponent !== undefined) {
      format = 'DecimalExponent';
      power = Number(exponent);
      if (Math.abs(power) > MAX_EXPONENT) {
        throw new QuantityError(text, 'the exponent is out of range');
      }
    } else {
      power = DECIMAL_SUFFIXES[si ?? ''];
    }
    const shift = power + 9 - scale;
    if (mantissa === 0n) {
      nanos = 0n;
    } else if (shift >= 0) {
      // Beyond 10^40 nanos the cap applies anyway: skip the huge power.
      nanos = shift > 40 ? MAX_NANOS : mantissa * 10n ** BigInt(shift);
    } else {
      // Finer than a nano-unit rounds up to 1n, like the API server.
      nanos =
        -shift > scale + 40 ? 1n : ceilDiv(mantissa, 10n ** BigInt(-shift));
    }
  }
  if (nanos > MAX_NANOS) {
    nanos = MAX_NANOS;
  }
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/**
 * Like {@link parseQuantity}, but answers undefined for anything that is not
 * a quantity string.
 *
 * @public
 */
export function tryParseQuantity(text: unknown): Quantity | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}

/**
 * The value in base units as a JavaScript number: exact for integers below
 * 2^53 (bytes up to 8 PiB) and for millicores; finer fractions are the
 * nearest double.
 *
 * @public
 */
export function quantityToNumber(quantity: Quantity): number {
  const whole = quantity.nanos / NANOS_PER_UNIT;
  const rest = quantity.nanos % NANOS_PER_UNIT;
  return Number(whole) + Number(rest) / 1e9;
}

/**
 * Parses a quantity into base units as a number ({@link quantityToNumber}).
 * A number passes through (YAML reads `cpu: 8` as a number); anything else
 * that is not a quantity gives undefined, so each caller decides whether that
 * is an error or zero.
 *
 * @public
 */
export function parseQuantityNumber(
  value: string | number | undefined,
): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  const quantity = tryParseQuantity(value);
  return quantity === undefined ? undefined : quantityToNumber(quantity);
}

/**
 * The value in base units, rounded up to an integer (Quantity.Value()).
 *
 * @public
 */
export function quantityValue(quantity: Quantity): bigint {
  return roundUp(quantity.nanos, NANOS_PER_UNIT);
}

/**
 * The value in thousandths of base units, rounded up (Quantity.MilliValue()):
 * CPU millicores.
 *
 * @public
 */
export function quantityMilliValue(quantity: Quantity): bigint {
  return roundUp(quantity.nanos, 1_000_000n);
}

function roundUp(nanos: bigint, unit: bigint): bigint {
  // Away from zero, as inf.RoundUp in apimachinery.
  return nanos < 0n ? -ceilDiv(-nanos, unit) : ceilDiv(nanos, unit);
}

/**
 * Compares two quantities by value: -1, 0 or 1.
 *
 * @public
 */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  if (a.nanos === b.nanos) {
    return 0;
  }
  return a.nanos < b.nanos ? -1 : 1;
}

/**
 * The sum of two quantities, in the format of the first unless it is zero
 * (as Quantity.Add).
 *
 * @public
 */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return {
    nanos: a.nanos + b.nanos,
    format: a.nanos === 0n ? b.format : a.format,
  };
}

/**
 * The sum of quantities; zero (DecimalSI) for none.
 *
 * @public
 */
export function sumQuantities(quantities: Iterable<Quantity>): Quantity {
  let total: Quantity = { nanos: 0n, format: 'DecimalSI' };
  for (const quantity of quantities) {
    total = addQuantities(total, quantity);
  }
  return total;
}

/**
 * The canonical text of a quantity, as the API server writes it back:
 * BinarySI as the largest exact binary suffix (below 1024 or with a fraction
 * it falls back to DecimalSI), decimal forms as an integer mantissa with an
 * exponent that is a multiple of 3 (`1.5` → `1500m`, `2000` → `2k`).
 *
 * @public
 */
export function formatQuantity(quantity: Quantity): string {
  const { nanos } = quantity;
  if (nanos === 0n) {
    return '0';
  }
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const sign = negative ? '-' : '';
  if (
    quantity.format === 'BinarySI' &&
    magnitude >= 1024n * NANOS_PER_UNIT &&
    magnitude % NANOS_PER_UNIT === 0n
  ) {
    let value = magnitude / NANOS_PER_UNIT;
    let exp = 0;
    while (exp < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exp += 10;
    }
    return `${sign}${value}${BINARY_BY_EXPONENT.get(exp) ?? ''}`;
  }
  let mantissa = magnitude;
  let exp = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp += 1;
  }
  const down = ((exp % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exp -= down;
  if (quantity.format === 'DecimalExponent') {
    return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
  }
  return `${sign}${mantissa}${DECIMAL_BY_EXPONENT.get(exp) ?? `e${exp}`}`;
}

/**
 * Formats CPU cores as people write them in manifests: whole cores when
 * whole (`16`), else millicores (`8500m`), rounded to the nearest millicore.
 *
 * @public
 */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * Formats bytes (rounded to whole bytes) with the largest exact binary
 * suffix (`96Gi`), or plain bytes.
 *
 * @public
 */
export function formatMemory(bytes: number): string {
  return formatQuantity({
    nanos: BigInt(Math.round(bytes)) * NANOS_PER_UNIT,
    format: 'BinarySI',
  });
}
