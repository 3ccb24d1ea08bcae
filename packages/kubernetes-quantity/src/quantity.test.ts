import {
  addQuantities,
  compareQuantities,
  formatCpu,
  formatMemory,
  formatQuantity,
  parseQuantity,
  parseQuantityNumber,
  Quantity,
  QuantityError,
  quantityMilliValue,
  quantityToNumber,
  quantityValue,
  sumQuantities,
  tryParseQuantity,
} from './quantity';

const GI = 2n ** 30n;
const NANO = 1_000_000_000n;

describe('parseQuantity', () => {
  it.each<[string, bigint, Quantity['format']]>([
    ['0', 0n, 'DecimalSI'],
    ['4', 4n * NANO, 'DecimalSI'],
    ['500m', 500_000_000n, 'DecimalSI'],
    ['1.5', 1_500_000_000n, 'DecimalSI'],
    ['.5', 500_000_000n, 'DecimalSI'],
    ['5.', 5n * NANO, 'DecimalSI'],
    ['+2k', 2000n * NANO, 'DecimalSI'],
    ['-2k', -2000n * NANO, 'DecimalSI'],
    ['100n', 100n, 'DecimalSI'],
    ['7u', 7000n, 'DecimalSI'],
    ['3M', 3_000_000n * NANO, 'DecimalSI'],
    ['1G', 1_000_000_000n * NANO, 'DecimalSI'],
    ['2T', 2n * 10n ** 12n * NANO, 'DecimalSI'],
    ['1P', 10n ** 15n * NANO, 'DecimalSI'],
    ['1E', 10n ** 18n * NANO, 'DecimalSI'],
    ['64Gi', 64n * GI * NANO, 'BinarySI'],
    ['1.5Gi', 1536n * 2n ** 20n * NANO, 'BinarySI'],
    ['1056561584Ki', 1056561584n * 1024n * NANO, 'BinarySI'],
    ['1Ki', 1024n * NANO, 'BinarySI'],
    ['1Mi', 2n ** 20n * NANO, 'BinarySI'],
    ['1Ti', 2n ** 40n * NANO, 'BinarySI'],
    ['1Pi', 2n ** 50n * NANO, 'BinarySI'],
    ['1Ei', 2n ** 60n * NANO, 'BinarySI'],
    ['1e3', 1000n * NANO, 'DecimalExponent'],
    ['1E3', 1000n * NANO, 'DecimalExponent'],
    ['1e-3', 1_000_000n, 'DecimalExponent'],
    ['1.5e+2', 150n * NANO, 'DecimalExponent'],
    ['0007', 7n * NANO, 'DecimalSI'],
    ['-0', 0n, 'DecimalSI'],
    // Finer than a nano-unit rounds up (away from zero), like the API server.
    ['0.1n', 1n, 'DecimalSI'],
    ['1.0000000001', NANO + 1n, 'DecimalSI'],
    ['-0.1n', -1n, 'DecimalSI'],
    ['1e-1000', 1n, 'DecimalExponent'],
    // The magnitude caps at 2^63-1 base units.
    ['10E', (2n ** 63n - 1n) * NANO, 'DecimalSI'],
    ['9Ei', (2n ** 63n - 1n) * NANO, 'BinarySI'],
    ['1e1000', (2n ** 63n - 1n) * NANO, 'DecimalExponent'],
  ])('parses %s', (text, nanos, format) => {
    expect(parseQuantity(text)).toEqual({ nanos, format });
  });

  it.each([
    ['', 'it is empty'],
    ['garbage', 'expected a number'],
    ['lots', 'expected a number'],
    ['1K', 'expected a number'],
    ['1Gb', 'expected a number'],
    ['1e', 'expected a number'],
    ['1e1.5', 'expected a number'],
    ['1ki', 'expected a number'],
    ['.', 'expected a number'],
    ['-', 'expected a number'],
    ['+-1', 'expected a number'],
    [' 1', 'expected a number'],
    ['1 ', 'expected a number'],
    ['1,5', 'expected a number'],
    ['0x10', 'expected a number'],
    ['1e99999999999', 'the exponent is out of range'],
  ])('rejects %j naming the input', (text, reason) => {
    let thrown: unknown;
    try {
      parseQuantity(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QuantityError);
    const error = thrown as QuantityError;
    expect(error.name).toBe('InputError');
    expect(error.input).toBe(text);
    expect(error.message).toContain(`"${text}" is not a Kubernetes quantity`);
    expect(error.message).toContain(reason);
  });

  it('rejects what is not a string', () => {
    expect(() => parseQuantity(8 as unknown as string)).toThrow(
      '"8" is not a Kubernetes quantity: expected a string',
    );
  });
});

describe('tryParseQuantity and parseQuantityNumber', () => {
  it.each<[unknown, number | undefined]>([
    ['500m', 0.5],
    ['4', 4],
    ['64Gi', 64 * 1024 ** 3],
    ['1e3', 1000],
    ['2k', 2000],
    ['-1.5', -1.5],
    ['100n', 1e-7],
    [8, 8],
    [Number.NaN, undefined],
    [undefined, undefined],
    ['garbage', undefined],
    ['x', undefined],
  ])('reads %j as %j', (input, expected) => {
    expect(parseQuantityNumber(input as string | number | undefined)).toBe(
      expected,
    );
  });

  it('answers undefined for non-strings', () => {
    expect(tryParseQuantity(undefined)).toBeUndefined();
    expect(tryParseQuantity({})).toBeUndefined();
    expect(tryParseQuantity('1Ki')?.nanos).toBe(1024n * NANO);
  });

  it('keeps bytes exact up to 2^53', () => {
    expect(quantityToNumber(parseQuantity('8Pi'))).toBe(2 ** 53);
    expect(quantityToNumber(parseQuantity('9007199254740991'))).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });
});

describe('integer views', () => {
  it.each<[string, bigint, bigint]>([
    ['1.5', 2n, 1500n],
    ['500m', 1n, 500n],
    ['1n', 1n, 1n],
    ['0.0001', 1n, 1n],
    ['-1.5', -2n, -1500n],
    ['64Gi', 64n * GI, 64n * GI * 1000n],
    ['0', 0n, 0n],
  ])('%s has Value %s and MilliValue %s (rounded up)', (text, value, milli) => {
    const quantity = parseQuantity(text);
    expect(quantityValue(quantity)).toBe(value);
    expect(quantityMilliValue(quantity)).toBe(milli);
  });
});

describe('formatQuantity (canonical form)', () => {
  it.each([
    ['0', '0'],
    ['0Gi', '0'],
    ['1', '1'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['2000m', '2'],
    ['100m', '100m'],
    ['1.0000000001', '1000000001n'],
    ['12e6', '12e6'],
    ['12000k', '12M'],
    ['1e3', '1e3'],
    ['1e-3', '1e-3'],
    ['1.5e1', '15'],
    ['100e-2', '1'],
    ['64Gi', '64Gi'],
    ['1.5Gi', '1536Mi'],
    ['1024', '1024'],
    ['1024Ki', '1Mi'],
    ['0.5Ki', '512'],
    ['1023', '1023'],
    ['1Ei', '1Ei'],
    ['1.5Ki', '1536'],
    ['0.1Ki', '102400m'],
    ['-64Gi', '-64Gi'],
    ['-1.5', '-1500m'],
    ['10E', '9223372036854775807'],
  ])('formats %s as %s', (text, canonical) => {
    expect(formatQuantity(parseQuantity(text))).toBe(canonical);
  });

  it('round-trips to the same value', () => {
    for (const text of ['1.5Gi', '7u', '123456789n', '3e9', '-2Ki', '15']) {
      const quantity = parseQuantity(text);
      expect(parseQuantity(formatQuantity(quantity)).nanos).toBe(
        quantity.nanos,
      );
    }
  });
});

describe('compare and sum', () => {
  it('compares across suffixes', () => {
    expect(compareQuantities(parseQuantity('1Ki'), parseQuantity('1k'))).toBe(
      1,
    );
    expect(compareQuantities(parseQuantity('1k'), parseQuantity('1e3'))).toBe(
      0,
    );
    expect(compareQuantities(parseQuantity('999m'), parseQuantity('1'))).toBe(
      -1,
    );
  });

  it('adds exactly in the first non-zero format', () => {
    const sum = addQuantities(parseQuantity('0'), parseQuantity('1Gi'));
    expect(sum.format).toBe('BinarySI');
    expect(formatQuantity(addQuantities(sum, parseQuantity('512Mi')))).toBe(
      '1536Mi',
    );
    const tenths = sumQuantities(
      Array.from({ length: 10 }, () => parseQuantity('0.1')),
    );
    expect(tenths.nanos).toBe(NANO);
    expect(formatQuantity(tenths)).toBe('1');
    expect(sumQuantities([])).toEqual({ nanos: 0n, format: 'DecimalSI' });
  });
});

describe('formatCpu and formatMemory', () => {
  it.each([
    [8.5, '8500m'],
    [16, '16'],
    [0.25, '250m'],
    [1000, '1000'],
    [0.0004, '0'],
  ])('formats %s cores as %s', (cores, text) => {
    expect(formatCpu(cores)).toBe(text);
  });

  it.each([
    [96 * 1024 ** 3, '96Gi'],
    [1536 * 1024 ** 2, '1536Mi'],
    [1024, '1Ki'],
    [1000, '1k'],
    [1536, '1536'],
    [512.4, '512'],
    [0, '0'],
  ])('formats %s bytes as %s', (bytes, text) => {
    expect(formatMemory(bytes)).toBe(text);
  });
});
