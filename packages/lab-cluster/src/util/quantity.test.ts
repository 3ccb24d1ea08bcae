import { formatQuantity, isValidQuantity, parseQuantity } from './quantity';

describe('quantities', () => {
  it('parses decimal, binary and exponent forms', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('64Gi')).toBe(64 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1.5k')).toBe(1500);
    expect(parseQuantity('128974848')).toBe(128974848);
    expect(parseQuantity('1056561584Ki')).toBe(1056561584 * 1024);
    expect(() => parseQuantity('12x')).toThrow(/quantities must match/);
    expect(isValidQuantity('3Mi')).toBe(true);
    expect(isValidQuantity('abc')).toBe(false);
  });

  it('formats like the API server prints quota values', () => {
    expect(formatQuantity(0.5, 'requests.cpu')).toBe('500m');
    expect(formatQuantity(62.5, 'requests.cpu')).toBe('62500m');
    expect(formatQuantity(8, 'requests.nvidia.com/gpu')).toBe('8');
    expect(formatQuantity(1280 * 2 ** 20, 'requests.memory')).toBe('1280Mi');
    expect(formatQuantity(2 * 2 ** 40, 'requests.memory')).toBe('2Ti');
    expect(formatQuantity(0, 'requests.memory')).toBe('0');
  });
});
