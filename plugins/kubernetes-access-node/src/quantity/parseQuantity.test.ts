import { parseQuantity } from './parseQuantity';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['4', 4],
    ['64Gi', 64 * 2 ** 30],
    ['1056561584Ki', 1056561584 * 1024],
    ['1e3', 1000],
    ['2k', 2000],
    [undefined, 0],
    ['garbage', 0],
  ])('parses %s', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected);
  });
});
