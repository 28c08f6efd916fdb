package io.github.gptfromscratch.tensor;

import java.util.Arrays;

/**
 * A dense, row-major tensor of {@code int}: token ids, targets, indices.
 *
 * <p>Integer data in this library is always an {@code IntTensor}; it is small and only ever read, so
 * it is kept contiguous and has no views.
 *
 * <pre>{@code
 * IntTensor batch = IntTensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3); // two rows of three ids
 * int id = batch.get(1, 2);                                          // 6
 * }</pre>
 */
public final class IntTensor {

    private final int[] data;
    private final int[] shape;

    private IntTensor(int[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     *
     * @throws IllegalArgumentException if the shape has a negative size or does not hold {@code data.length} values
     */
    public static IntTensor of(int[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape.clone();
        long n = Shapes.checkedNumel("IntTensor.of", s);
        if (n != data.length) {
            throw new IllegalArgumentException("IntTensor.of: shape " + Shapes.str(s) + " holds " + n
                    + " values but the data has " + data.length);
        }
        return new IntTensor(data, s);
    }

    /** A tensor of zeros. */
    public static IntTensor zeros(int... shape) {
        return new IntTensor(new int[Math.toIntExact(Shapes.checkedNumel("IntTensor.zeros", shape))], shape.clone());
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of axes. */
    public int dim() {
        return shape.length;
    }

    /** The size of one axis; negative axes count from the end. */
    public int size(int axis) {
        return shape[Shapes.axis("IntTensor.size", axis, shape)];
    }

    /** Number of elements. */
    public int numel() {
        return data.length;
    }

    /** The backing array in row-major order (not a copy: do not modify what you did not create). */
    public int[] data() {
        return data;
    }

    /** The element at a full index. */
    public int get(int... index) {
        return data[Shapes.flatIndex("IntTensor.get", index, shape)];
    }

    /** The same data seen with another shape of the same element count; one size may be -1. */
    public IntTensor reshape(int... newShape) {
        return new IntTensor(data, Shapes.inferShape("IntTensor.reshape", shape, newShape));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IntTensor" + Shapes.str(shape) + (data.length <= 32 ? " " + Arrays.toString(data) : "");
    }
}
