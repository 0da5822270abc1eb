// CGRateS's float64 rounding, emulated bit for bit with JS numbers (which are IEEE float64 too).
// Only the `*cgrates` cost mode uses this; money stays exact everywhere else.

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

// 10^-k as Number parses `1e-k` (the float64 nearest to it), tabled once instead of parsed per call.
const NEG_POW10 = Array.from({ length: 32 }, (_, k) => Number(`1e-${k}`));

function pow10(n: number): number {
  // Go's math.Pow(10, n) and math.Pow10(-n) are exact table values for these ranges.
  if (n >= 0) return n < POW10.length ? POW10[n] : Number(`1e${n}`);
  return Number.isInteger(n) && -n < NEG_POW10.length ? NEG_POW10[-n] : Number(`1e${n}`);
}

/**
 * Round(x, d, method) as CGRateS computes it: y = x × 10^d in float64, split with Modf; `*up` ceils
 * when the fraction is ≥ 10^-max(7,d), `*middle` when ≥ 0.5, `*down` floors; any other method
 * leaves y; result y / 10^d. The decision depends on the binary product, e.g. 0.033335 *middle 5
 * gives 0.03333 because 0.033335 × 1e5 = 3333.4999999999995.
 */
export function roundCgrates(x: number, decimals: number, method: string): number {
  const maxPrec = Math.max(7, decimals);
  const pow = pow10(decimals);
  const intermed = x * pow;
  const frac = intermed - Math.trunc(intermed); // math.Modf: exact for float64
  let rounder: number;
  switch (method) {
    case '*up':
      rounder = frac >= pow10(-maxPrec) ? Math.ceil(intermed) : Math.floor(intermed);
      break;
    case '*down':
      rounder = Math.floor(intermed);
      break;
    case '*middle':
      rounder = frac >= 0.5 ? Math.ceil(intermed) : Math.floor(intermed);
      break;
    default:
      rounder = intermed;
  }
  return rounder / pow;
}
