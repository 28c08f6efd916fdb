package io.github.gptfromscratch.tensor;

/** A float64 error function accurate to about 1e-15, independent of the kernels' float approximation. */
final class Erf {

    private Erf() {
    }

    /**
     * erf(x) = 2/√π · e^(−x²) · Σₙ (2x²)ⁿ · x / (1·3·…·(2n+1)): every term is positive, so the series
     * has no cancellation; beyond |x| = 6 erf is 1 to double precision.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.copySign(1.0, x);
        }
        double term = ax;
        double sum = ax;
        double twoX2 = 2 * ax * ax;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum, x);
    }
}
