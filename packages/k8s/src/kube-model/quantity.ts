/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `1e3`, `2`), parsed exactly and compared exactly.
 *
 * The grammar (k8s.io/apimachinery `resource.Quantity`):
 *
 *   quantity        ::= signedNumber suffix
 *   suffix          ::= binarySI | decimalExponent | decimalSI
 *   binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   decimalSI       ::= n | u | m | "" | k | M | G | T | P | E
 *   decimalExponent ::= e signedNumber | E signedNumber
 *   signedNumber    ::= ("+" | "-")? (digits | digits "." digits? | "." digits)
 *
 * The official client's `quantityToScalar` is not used: it rejects `1.5Gi` and `1e3` and rounds
 * through floating point, and a comparison of requests and limits must not.
 */

const BINARY_SI: Readonly<Record<string, bigint>> = {
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};
const DECIMAL_SI: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** A parsed quantity: exactly `digits × 10^exponent`, `digits` a non-negative integer (zero is `0n`, exponent 0). */
export interface Quantity {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly exponent: number;
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/;

/**
 * Parses a Kubernetes quantity; undefined if it is not one. YAML numbers (`cpu: 2`) are quantities too.
 *
 * @example
 * parseQuantity("1Gi") // → { negative: false, digits: 1073741824n, exponent: 0 }
 * parseQuantity("500m") // → { negative: false, digits: 5n, exponent: -1 }
 * parseQuantity("1GB") // → undefined
 */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string") return undefined;
  const match = QUANTITY.exec(text);
  if (match === null) return undefined;
  const [, sign, number, binary, exponentText, decimal] = match;
  const [whole = "", fraction = ""] = number!.split(".");
  let digits = BigInt(`${whole}${fraction}` || "0");
  let exponent = -fraction.length;
  if (binary !== undefined) digits *= BINARY_SI[binary]!;
  else if (exponentText !== undefined) exponent += Number(exponentText);
  else exponent += DECIMAL_SI[decimal ?? ""]!;
  if (!Number.isSafeInteger(exponent)) return undefined;
  if (digits === 0n) return { negative: false, digits: 0n, exponent: 0 };
  while (digits % 10n === 0n) {
    digits /= 10n;
    exponent += 1;
  }
  return { negative: sign === "-", digits, exponent };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`; exact, whatever the exponents. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  if (a.digits === 0n && b.digits === 0n) return 0;
  const signA = a.digits === 0n ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === 0n ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return Math.sign(signA - signB);
  return signA * compareMagnitudes(a, b);
}

function compareMagnitudes(a: Quantity, b: Quantity): number {
  // Orders of magnitude first, so `1e999999999` is never expanded; when they tie, the exponents
  // differ by less than the digit counts and the expansion is small.
  const magnitudeA = a.digits.toString().length + a.exponent;
  const magnitudeB = b.digits.toString().length + b.exponent;
  if (magnitudeA !== magnitudeB) return magnitudeA < magnitudeB ? -1 : 1;
  const low = Math.min(a.exponent, b.exponent);
  const scaledA = a.digits * 10n ** BigInt(a.exponent - low);
  const scaledB = b.digits * 10n ** BigInt(b.exponent - low);
  return scaledA === scaledB ? 0 : scaledA < scaledB ? -1 : 1;
}
