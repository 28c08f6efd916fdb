package io.github.gptfromscratch.tensor;

import io.github.gptfromscratch.tensor.internal.kernels.BinaryOp;
import io.github.gptfromscratch.tensor.internal.kernels.UnaryOp;

import java.util.Arrays;

/**
 * An n-dimensional array of float32 values: a {@code float[]} storage seen through a shape, strides
 * and an offset, as PyTorch's tensors are.
 *
 * <p>Views ({@link #view}, {@link #transpose}, {@link #permute}, {@link #slice}, {@link #select},
 * {@link #expand}, {@link #unsqueeze}, {@link #squeeze}) share the storage and never copy; an
 * expanded axis has stride 0. Operations read any strides and have fast paths for contiguous data.
 * Operations return new tensors; the few that write in place end in {@code InPlace} (or are named for
 * what they write: {@link #copyFrom}, {@link #fill}, {@link #axpyInPlace}).
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * Tensor x = Tensor.randn(rng, 32, 10);
 * Tensor w = Tensor.randn(rng, 10, 200);
 * Tensor h = x.matmul(w).add(Tensor.zeros(200)).tanh();   // [32,200], the bias broadcasts
 * Tensor p = h.softmax(-1).sum(0, false);                  // [200]
 * }</pre>
 */
public final class Tensor {

    final float[] data;
    final int[] shape;
    final int[] strides;
    final int offset;

    Tensor(float[] data, int[] shape, int[] strides, int offset) {
        this.data = data;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A fresh contiguous tensor of zeros; the shape array is not retained. */
    static Tensor allocate(int[] shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Math.toIntExact(Shapes.checkedNumel("Tensor", s))], s,
                Shapes.contiguousStrides(s), 0);
    }

    // ------------------------------------------------------------------ creation

    /**
     * Wraps {@code data} (not copied) as a contiguous tensor of the given shape; with no shape, a 1-D
     * tensor of {@code data.length} values.
     *
     * @throws IllegalArgumentException if the shape does not hold exactly {@code data.length} values
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        long n = Shapes.checkedNumel("Tensor.of", s);
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(s) + " holds " + n
                    + " values but the data has " + data.length);
        }
        return new Tensor(data, s, Shapes.contiguousStrides(s), 0);
    }

    /** A 0-d tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0], new int[0], 0);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return allocate(shape);
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = allocate(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** {@code [0, 1, …, n-1]}. */
    public static Tensor arange(int n) {
        Tensor t = allocate(new int[] {n});
        for (int i = 0; i < n; i++) {
            t.data[i] = i;
        }
        return t;
    }

    /** Samples from the standard normal distribution. */
    public static Tensor randn(Rng rng, int... shape) {
        Tensor t = allocate(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /** Samples from the uniform distribution on {@code [low, high)}. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = allocate(shape);
        float width = high - low;
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = low + width * rng.nextFloat();
        }
        return t;
    }

    // ------------------------------------------------------------------ layout

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** Where element {@code [0,…,0]} sits in the storage. */
    public int offset() {
        return offset;
    }

    /**
     * The backing storage, shared with every view of it (not a copy). Read it together with
     * {@link #strides()} and {@link #offset()}, or call {@link #contiguous()} first.
     */
    public float[] storage() {
        return data;
    }

    /** Number of axes. */
    public int dim() {
        return shape.length;
    }

    /** The size of one axis; negative axes count from the end. */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape)];
    }

    /** Number of elements. */
    public int numel() {
        return Shapes.numel(shape);
    }

    /** Whether the elements lie in row-major order with no gaps (sizes-1 axes may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** This tensor if it is contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy that shares nothing with this tensor. */
    public Tensor copy() {
        Tensor out = allocate(shape);
        Strided.copy(this, out);
        return out;
    }

    /** The values in row-major order, always a fresh array. */
    public float[] toArray() {
        if (isContiguous()) {
            return Arrays.copyOfRange(data, offset, offset + numel());
        }
        return copy().data;
    }

    /** The element at a full index. */
    public float get(int... index) {
        return data[storageIndex("get", index)];
    }

    /** Writes one element (in place, visible through every view of the same storage). */
    public void set(float value, int... index) {
        data[storageIndex("set", index)] = value;
    }

    /** The value of a tensor with one element. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shapes.str(shape) + " has " + numel()
                    + " elements, not 1");
        }
        return data[offset];
    }

    private int storageIndex(String op, int[] index) {
        Shapes.flatIndex(op, index, shape); // validates
        int at = offset;
        for (int i = 0; i < index.length; i++) {
            at += index[i] * strides[i];
        }
        return at;
    }

    // ------------------------------------------------------------------ views

    /**
     * The same storage seen with another shape; one size may be -1. Works wherever the strides allow
     * it without copying.
     *
     * @throws IllegalArgumentException if the layout cannot be viewed so (use {@link #reshape})
     */
    public Tensor view(int... newShape) {
        int[] target = Shapes.inferShape("view", shape, newShape);
        int[] newStrides = Views.viewStrides(shape, strides, target);
        if (newStrides == null) {
            throw new IllegalArgumentException("view: a tensor of shape " + Shapes.str(shape) + " and strides "
                    + Shapes.str(strides) + " cannot be viewed as " + Shapes.str(target)
                    + " without a copy; use reshape()");
        }
        return new Tensor(data, target, newStrides, offset);
    }

    /** Like {@link #view}, but copies when the strides do not allow a view. */
    public Tensor reshape(int... newShape) {
        int[] target = Shapes.inferShape("reshape", shape, newShape);
        int[] newStrides = Views.viewStrides(shape, strides, target);
        if (newStrides != null) {
            return new Tensor(data, target, newStrides, offset);
        }
        Tensor c = copy();
        return new Tensor(c.data, target, Shapes.contiguousStrides(target), 0);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int axis0, int axis1) {
        int a = Shapes.axis("transpose", axis0, shape);
        int b = Shapes.axis("transpose", axis1, shape);
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** The transpose of a 2-D tensor, or the swap of the last two axes (a view). */
    public Tensor t() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("t: needs at least 2 axes, got shape " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /** Reorders the axes: axis {@code i} of the result is axis {@code order[i]} of this tensor (a view). */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " axes but the shape " + Shapes.str(shape) + " has " + shape.length);
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + a + " appears twice in " + Arrays.toString(order));
            }
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return new Tensor(data, s, st, offset);
    }

    /** Elements {@code [start, end)} along an axis (a view); also known as narrow. */
    public Tensor slice(int axis, int start, int end) {
        int a = Shapes.axis("slice", axis, shape);
        if (start < 0 || end > shape[a] || start > end) {
            throw new IndexOutOfBoundsException("slice: range [" + start + ", " + end + ") is out of bounds for axis "
                    + a + " of shape " + Shapes.str(shape));
        }
        int[] s = shape.clone();
        s[a] = end - start;
        return new Tensor(data, s, strides.clone(), offset + start * strides[a]);
    }

    /** Index {@code index} of an axis, which disappears (a view). */
    public Tensor select(int axis, int index) {
        int a = Shapes.axis("select", axis, shape);
        if (index < 0 || index >= shape[a]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for axis " + a
                    + " of shape " + Shapes.str(shape));
        }
        return new Tensor(data, Views.remove(shape, a), Views.remove(strides, a), offset + index * strides[a]);
    }

    /**
     * Broadcasts to a larger shape (a view): size-1 axes repeat with stride 0 and new leading axes are
     * added; -1 keeps a size.
     */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shapes.str(shape) + " to "
                    + Shapes.str(newShape) + " with fewer axes");
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length];
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException("expand: size -1 is not allowed for the new leading axis " + i
                            + " in " + Shapes.str(newShape));
                }
                s[i] = want;
                st[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (want == -1 || want == have) {
                s[i] = have;
                st[i] = strides[i - lead];
            } else if (have == 1 && want >= 0) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: shape " + Shapes.str(shape) + " cannot expand to "
                        + Shapes.str(newShape) + " (axis " + i + ": " + have + " vs " + want + ")");
            }
        }
        return new Tensor(data, s, st, offset);
    }

    /** Inserts an axis of size 1 at {@code axis} (which may be {@code dim()}; a view). */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        if (a < 0 || a > shape.length) {
            throw new IllegalArgumentException("unsqueeze: axis " + axis + " is out of range for shape "
                    + Shapes.str(shape));
        }
        int stride = a < shape.length ? strides[a] * shape[a] : 1;
        return new Tensor(data, Views.insert(shape, a, 1), Views.insert(strides, a, stride), offset);
    }

    /** Removes an axis of size 1 (a view). */
    public Tensor squeeze(int axis) {
        int a = Shapes.axis("squeeze", axis, shape);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + a + " of shape " + Shapes.str(shape)
                    + " has size " + shape[a] + ", not 1");
        }
        return new Tensor(data, Views.remove(shape, a), Views.remove(strides, a), offset);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        int n = numel();
        if (n <= 64) {
            sb.append(' ').append(Arrays.toString(toArray()));
        }
        return sb.toString();
    }
}
