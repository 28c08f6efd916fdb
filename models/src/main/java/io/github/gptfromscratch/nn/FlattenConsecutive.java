package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;

/**
 * WaveNet's merge step: {@code [B, T, C] -> [B, T/n, C·n]}, concatenating n neighbouring positions;
 * the position axis disappears when it reaches 1 (makemore part 5).
 */
public final class FlattenConsecutive extends Layer {

    private final int n;

    /** Merges groups of {@code n} neighbouring positions. */
    public FlattenConsecutive(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("FlattenConsecutive: n must be positive, got " + n);
        }
        this.n = n;
    }

    @Override
    public Var forward(Var x) {
        int[] s = x.shape();
        if (s.length != 3 || s[1] % n != 0) {
            throw new IllegalArgumentException("FlattenConsecutive(" + n + "): input must be [B, T, C] with T divisible by "
                    + n + ", got " + java.util.Arrays.toString(s));
        }
        Var y = x.reshape(s[0], s[1] / n, s[2] * n);
        return s[1] / n == 1 ? y.squeeze(1) : y;
    }
}
