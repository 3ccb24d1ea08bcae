const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

const QUANTITY_PATTERN = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/**
 * Parses a Kubernetes quantity (`8`, `500m`, `64Gi`) into a number of base
 * units. Returns undefined when the text is not a quantity.
 *
 * @public
 */
export function parseQuantity(value: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(value.trim());
  if (!match) {
    return undefined;
  }
  return Number(match[1]) * SUFFIXES[match[2] ?? ''];
}

/**
 * Formats CPU cores as a Kubernetes quantity, in millicores when fractional.
 *
 * @public
 */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * Formats bytes as a Kubernetes quantity with the largest exact binary suffix.
 *
 * @public
 */
export function formatMemory(bytes: number): string {
  const rounded = Math.round(bytes);
  for (const suffix of ['Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = SUFFIXES[suffix];
    if (rounded % unit === 0 && rounded >= unit) {
      return `${rounded / unit}${suffix}`;
    }
  }
  return String(rounded);
}
