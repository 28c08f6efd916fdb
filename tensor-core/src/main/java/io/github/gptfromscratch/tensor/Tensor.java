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
        return allocate(shape, true);
    }

    /**
     * A fresh contiguous tensor for an operation that writes every element before anything reads one:
     * reused storage (see {@link StorageReuse}) is not cleared first.
     */
    static Tensor allocateForOverwrite(int[] shape) {
        return allocate(shape, false);
    }

    private static Tensor allocate(int[] shape, boolean zeroed) {
        int[] s = shape.clone();
        return new Tensor(StorageReuse.take(Math.toIntExact(Shapes.checkedNumel("Tensor", s)), zeroed), s,
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
        Tensor t = allocateForOverwrite(shape);
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
        rng.fillNormal(t.data);
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
        Tensor out = allocateForOverwrite(shape);
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

    // ------------------------------------------------------------------ elementwise

    /** −x. */
    public Tensor neg() {
        return Strided.unary(UnaryOp.NEG, this);
    }

    /** |x|. */
    public Tensor abs() {
        return Strided.unary(UnaryOp.ABS, this);
    }

    /** e^x. */
    public Tensor exp() {
        return Strided.unary(UnaryOp.EXP, this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Strided.unary(UnaryOp.LOG, this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Strided.unary(UnaryOp.TANH, this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Strided.unary(UnaryOp.SQRT, this);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return Strided.unary(UnaryOp.RELU, this);
    }

    /** 1 / (1 + e^−x). */
    public Tensor sigmoid() {
        return Strided.unary(UnaryOp.SIGMOID, this);
    }

    /** GELU with the exact normal CDF: x·Φ(x) (PyTorch's default). */
    public Tensor gelu() {
        return Strided.unary(UnaryOp.GELU, this);
    }

    /** GELU's tanh approximation (GPT-2's original). */
    public Tensor geluTanh() {
        return Strided.unary(UnaryOp.GELU_TANH, this);
    }

    /** x². */
    public Tensor square() {
        return Strided.unary(UnaryOp.SQUARE, this);
    }

    /** x^p. */
    public Tensor pow(float p) {
        return Strided.binary("pow", BinaryOp.POW, this, scalar(p));
    }

    /** Applies one of the kernels' elementwise functions (for the autograd layer's derivatives). */
    public Tensor map(UnaryOp op) {
        return Strided.unary(op, this);
    }

    /** this + other, broadcasting. */
    public Tensor add(Tensor other) {
        return Strided.binary("add", BinaryOp.ADD, this, other);
    }

    /** this + c. */
    public Tensor add(float c) {
        return Strided.binary("add", BinaryOp.ADD, this, scalar(c));
    }

    /** this − other, broadcasting. */
    public Tensor sub(Tensor other) {
        return Strided.binary("sub", BinaryOp.SUB, this, other);
    }

    /** this · other, broadcasting. */
    public Tensor mul(Tensor other) {
        return Strided.binary("mul", BinaryOp.MUL, this, other);
    }

    /** this · c. */
    public Tensor mul(float c) {
        return Strided.binary("mul", BinaryOp.MUL, this, scalar(c));
    }

    /** this / other, broadcasting. */
    public Tensor div(Tensor other) {
        return Strided.binary("div", BinaryOp.DIV, this, other);
    }

    /** this / c. */
    public Tensor div(float c) {
        return Strided.binary("div", BinaryOp.DIV, this, scalar(c));
    }

    /** Elementwise maximum, broadcasting. */
    public Tensor maximum(Tensor other) {
        return Strided.binary("maximum", BinaryOp.MAX, this, other);
    }

    /** Elementwise minimum, broadcasting. */
    public Tensor minimum(Tensor other) {
        return Strided.binary("minimum", BinaryOp.MIN, this, other);
    }

    /** Any of the kernels' binary functions, broadcasting; comparisons give 1 for true and 0 for false. */
    public Tensor apply(BinaryOp op, Tensor other) {
        return Strided.binary(op.name().toLowerCase(java.util.Locale.ROOT), op, this, other);
    }

    /** 1 where this == other, else 0 (broadcasting). */
    public Tensor eq(Tensor other) {
        return Strided.binary("eq", BinaryOp.EQ, this, other);
    }

    /** 1 where this &lt; other, else 0 (broadcasting). */
    public Tensor lt(Tensor other) {
        return Strided.binary("lt", BinaryOp.LT, this, other);
    }

    /** 1 where this &gt; other, else 0 (broadcasting). */
    public Tensor gt(Tensor other) {
        return Strided.binary("gt", BinaryOp.GT, this, other);
    }

    /** Where {@code mask} (broadcast to this shape) is non-zero the result holds {@code value}, elsewhere this tensor's value. */
    public Tensor maskedFill(Tensor mask, float value) {
        Tensor m = mask.expand(Shapes.broadcastTo("maskedFill", mask.shape, shape));
        Tensor out = copy();
        float[] md = m.data;
        float[] od = out.data;
        Strided.forEachRow(shape, new int[] {m.offset, 0}, new int[][] {m.strides, out.strides}, true,
                (n, offs, st) -> {
                    for (int i = 0; i < n; i++) {
                        if (md[offs[0] + i * st[0]] != 0f) {
                            od[offs[1] + i * st[1]] = value;
                        }
                    }
                });
        return out;
    }

    // ------------------------------------------------------------------ in place

    /** Sets every element (through this view) to {@code value}; returns this. */
    public Tensor fill(float value) {
        float[] d = data;
        Strided.forEachRow(shape, new int[] {offset}, new int[][] {strides}, true, (n, offs, st) -> {
            for (int i = 0; i < n; i++) {
                d[offs[0] + i * st[0]] = value;
            }
        });
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this view; returns this. */
    public Tensor copyFrom(Tensor src) {
        Strided.copy(src.expand(Shapes.broadcastTo("copyFrom", src.shape, shape)), this);
        return this;
    }

    /** this += other (broadcast to this shape); returns this. */
    public Tensor addInPlace(Tensor other) {
        Strided.binaryInto(BinaryOp.ADD, this, other.expand(Shapes.broadcastTo("addInPlace", other.shape, shape)), this);
        return this;
    }

    /** this −= other (broadcast to this shape); returns this. */
    public Tensor subInPlace(Tensor other) {
        Strided.binaryInto(BinaryOp.SUB, this, other.expand(Shapes.broadcastTo("subInPlace", other.shape, shape)), this);
        return this;
    }

    /** this *= other (broadcast to this shape); returns this. */
    public Tensor mulInPlace(Tensor other) {
        Strided.binaryInto(BinaryOp.MUL, this, other.expand(Shapes.broadcastTo("mulInPlace", other.shape, shape)), this);
        return this;
    }

    /** this *= c; returns this. */
    public Tensor mulInPlace(float c) {
        Strided.binaryInto(BinaryOp.MUL, this, scalar(c).expand(shape), this);
        return this;
    }

    /** this += alpha · x, the optimizer's update (BLAS axpy); x must have this shape. Returns this. */
    public Tensor axpyInPlace(float alpha, Tensor x) {
        if (!java.util.Arrays.equals(shape, x.shape)) {
            throw new IllegalArgumentException("axpy: shapes " + Shapes.str(shape) + " and " + Shapes.str(x.shape)
                    + " differ");
        }
        if (isContiguous() && x.isContiguous()) {
            int n = numel();
            io.github.gptfromscratch.tensor.internal.kernels.Kernels k =
                    io.github.gptfromscratch.tensor.internal.kernels.Kernels.get();
            Parallel.forRange(n, 2, (start, end) -> k.axpy(end - start, alpha, x.data, x.offset + start, data,
                    offset + start));
            return this;
        }
        return addInPlace(x.mul(alpha));
    }

    /** Applies an elementwise function in place; returns this. */
    public Tensor mapInPlace(UnaryOp op) {
        Strided.unaryInPlace(op, this);
        return this;
    }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, as a 0-d tensor. */
    public Tensor sum() {
        return Reductions.reduce("sum", Reductions.Kind.SUM, this, Reductions.axesMask("sum", shape, new int[0]))
                .reshape();
    }

    /** Sums over one axis, keeping it at size 1 when {@code keepDim}. */
    public Tensor sum(int axis, boolean keepDim) {
        return reduce("sum", Reductions.Kind.SUM, new int[] {axis}, keepDim);
    }

    /** Sums over several axes (none given: all), keeping them at size 1 when {@code keepDim}. */
    public Tensor sum(int[] axes, boolean keepDim) {
        return reduce("sum", Reductions.Kind.SUM, axes, keepDim);
    }

    /** The mean of all elements, as a 0-d tensor. */
    public Tensor mean() {
        return sum().mul(1f / numel());
    }

    /** The mean over one axis. */
    public Tensor mean(int axis, boolean keepDim) {
        int a = Shapes.axis("mean", axis, shape); // first, so an error names mean rather than sum
        return sum(a, keepDim).mul(1f / shape[a]);
    }

    /** The mean over several axes. */
    public Tensor mean(int[] axes, boolean keepDim) {
        boolean[] mask = Reductions.axesMask("mean", shape, axes);
        int count = 1;
        for (int i = 0; i < mask.length; i++) {
            count *= mask[i] ? shape[i] : 1;
        }
        return sum(axes, keepDim).mul(1f / count);
    }

    /** The largest element, as a 0-d tensor. */
    public Tensor max() {
        return Reductions.reduce("max", Reductions.Kind.MAX, this, Reductions.axesMask("max", shape, new int[0]))
                .reshape();
    }

    /** Maxima over one axis. */
    public Tensor max(int axis, boolean keepDim) {
        return reduce("max", Reductions.Kind.MAX, new int[] {axis}, keepDim);
    }

    /** The smallest element, as a 0-d tensor. */
    public Tensor min() {
        return Reductions.reduce("min", Reductions.Kind.MIN, this, Reductions.axesMask("min", shape, new int[0]))
                .reshape();
    }

    /** Minima over one axis. */
    public Tensor min(int axis, boolean keepDim) {
        return reduce("min", Reductions.Kind.MIN, new int[] {axis}, keepDim);
    }

    /** Index of the largest element along an axis (the first one on ties). */
    public IntTensor argmax(int axis, boolean keepDim) {
        return Reductions.argmax(this, axis, keepDim);
    }

    /**
     * The variance over some axes (none given: all), with Bessel's correction when {@code unbiased}
     * (divide by n−1, as {@code torch.var}) or without (divide by n, what BatchNorm normalises with).
     */
    public Tensor variance(int[] axes, boolean unbiased, boolean keepDim) {
        boolean[] mask = Reductions.axesMask("variance", shape, axes);
        int count = 1;
        for (int i = 0; i < mask.length; i++) {
            count *= mask[i] ? shape[i] : 1;
        }
        int ddof = unbiased ? 1 : 0;
        if (count - ddof <= 0) {
            throw new IllegalArgumentException("variance: " + count + " element(s) per group in shape "
                    + Shapes.str(shape) + " are too few" + (unbiased ? " for the unbiased estimate" : ""));
        }
        int[] all = allAxes(axes, mask);
        Tensor centered = sub(mean(all, true));
        Tensor ss = Reductions.reduce("variance", Reductions.Kind.SUM, centered.square(), mask);
        Tensor var = ss.mul(1f / (count - ddof));
        return keepDim ? var : var.reshape(Reductions.dropReduced(shape, mask));
    }

    private static int[] allAxes(int[] axes, boolean[] mask) {
        if (axes.length > 0) {
            return axes;
        }
        int[] all = new int[mask.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private Tensor reduce(String op, Reductions.Kind kind, int[] axes, boolean keepDim) {
        boolean[] mask = Reductions.axesMask(op, shape, axes);
        Tensor kept = Reductions.reduce(op, kind, this, mask);
        return keepDim ? kept : kept.reshape(Reductions.dropReduced(shape, mask));
    }

    // ------------------------------------------------------------------ softmax

    /**
     * Softmax along an axis, computed stably (the row maximum is subtracted first); −∞ entries get
     * probability 0. A row that is entirely −∞ has no distribution and yields NaN, as in PyTorch.
     */
    public Tensor softmax(int axis) {
        return Softmax.softmax(this, Shapes.axis("softmax", axis, shape), false);
    }

    /** log(softmax(x)) along an axis, computed as x − max − log Σ exp(x − max). */
    public Tensor logSoftmax(int axis) {
        return Softmax.softmax(this, Shapes.axis("logSoftmax", axis, shape), true);
    }

    // ------------------------------------------------------------------ products

    /**
     * Matrix product over the last two axes, broadcasting any leading batch axes:
     * {@code [..., m, k] @ [..., k, n] -> [..., m, n]}. Transposed operands are read through their
     * strides, without a copy.
     */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    /**
     * The 2-D product written into this {@code [m, n]} tensor, {@code this = a @ b}, or added to it,
     * {@code this += a @ b}, when {@code accumulate}; returns this. For gradients that already have a
     * buffer (a parameter's) and a bias already in place: no temporary product is allocated. This tensor
     * must not share storage with {@code a} or {@code b}.
     *
     * @throws IllegalArgumentException if an operand is not 2-D, the shapes do not fit, or this tensor's
     *                                  rows are not contiguous
     */
    public Tensor matmulInPlace(Tensor a, Tensor b, boolean accumulate) {
        if (a.shape.length != 2 || b.shape.length != 2 || shape.length != 2 || a.shape[1] != b.shape[0]
                || shape[0] != a.shape[0] || shape[1] != b.shape[1] || (strides[1] != 1 && shape[1] > 1)) {
            throw new IllegalArgumentException("matmulInPlace: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + " into " + Shapes.str(shape) + " (strides " + Shapes.str(strides)
                    + ") — needs 2-D operands with fitting sizes and contiguous rows in the output");
        }
        LinearAlgebra.multiplyInto(a, b, this, accumulate);
        return this;
    }

    // ------------------------------------------------------------------ indexing

    /**
     * Picks slices along an axis: the result has this shape with {@code axis} replaced by
     * {@code indices.shape()}. With axis 0 on a [vocab, dim] table this is an embedding lookup.
     */
    public Tensor indexSelect(int axis, IntTensor indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /** Adds the slices of {@code source} into this tensor at {@code indices} along {@code axis} (repeats add up); returns this. */
    public Tensor indexAddInPlace(int axis, IntTensor indices, Tensor source) {
        Indexing.indexAddInPlace(this, axis, indices, source);
        return this;
    }

    /** {@code out[...i...] = this[...index[...i...]...]} along {@code axis}, as {@code torch.gather}. */
    public Tensor gather(int axis, IntTensor index) {
        return Indexing.gather(this, axis, index);
    }

    // ------------------------------------------------------------------ joining

    /** Joins tensors along an existing axis; all other sizes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        int[] first = parts[0].shape;
        int a = Shapes.axis("concat", axis, first);
        int total = 0;
        for (Tensor p : parts) {
            if (p.shape.length != first.length) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.str(first) + " and " + Shapes.str(p.shape)
                        + " have different numbers of axes");
            }
            for (int i = 0; i < first.length; i++) {
                if (i != a && p.shape[i] != first[i]) {
                    throw new IllegalArgumentException("concat: shapes " + Shapes.str(first) + " and "
                            + Shapes.str(p.shape) + " differ on axis " + i + " (joining along axis " + a + ")");
                }
            }
            total += p.shape[a];
        }
        int[] outShape = first.clone();
        outShape[a] = total;
        Tensor out = allocateForOverwrite(outShape);
        int at = 0;
        for (Tensor p : parts) {
            Strided.copy(p, out.slice(a, at, at + p.shape[a]));
            at += p.shape[a];
        }
        return out;
    }

    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        Tensor[] lifted = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape, parts[0].shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(parts[0].shape) + " and "
                        + Shapes.str(parts[i].shape) + " differ");
            }
            lifted[i] = parts[i].unsqueeze(axis);
        }
        return concat(axis, lifted);
    }

    /** Cuts along an axis into pieces of the given sizes (views), which must add up to the axis size. */
    public Tensor[] split(int axis, int... sizes) {
        int a = Shapes.axis("split", axis, shape);
        int total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
                    + " but axis " + a + " of shape " + Shapes.str(shape) + " has " + shape[a]);
        }
        Tensor[] out = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = slice(a, at, at + sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    // ------------------------------------------------------------------ sampling

    /**
     * Draws one index per row from the distribution given by the last axis (non-negative weights,
     * not necessarily normalised), as {@code torch.multinomial(p, 1)} per row.
     *
     * @return indices of shape {@code shape()[:-1]}
     * @throws IllegalArgumentException if a row has a negative, NaN or infinite weight or sums to 0
     */
    public IntTensor multinomial(Rng rng) {
        return multinomial(rng, false);
    }

    /**
     * {@link #multinomial(Rng)} as {@code torch.multinomial(p, 1, replacement=replacement)}: for one sample
     * the flag changes nothing but the algorithm PyTorch draws with, so it matters only for a
     * {@link Rng#pytorch PyTorch generator} (makemore part 1 samples with {@code replacement=True}).
     *
     * @throws IllegalArgumentException if a row has a negative, NaN or infinite weight or sums to 0
     */
    public IntTensor multinomial(Rng rng, boolean replacement) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("multinomial: needs at least one axis, got a 0-d tensor");
        }
        int n = shape[shape.length - 1];
        Tensor rowsView = contiguous().reshape(-1, n);
        int rows = rowsView.shape[0];
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = rowsView.offset + r * n;
            double total = 0;
            for (int i = 0; i < n; i++) {
                float w = rowsView.data[base + i];
                if (!(w >= 0f) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("multinomial: row " + r + " has weight " + w + " at index " + i
                            + " (weights must be finite and non-negative)");
                }
                total += w;
            }
            if (total <= 0) {
                throw new IllegalArgumentException("multinomial: row " + r + " of shape " + Shapes.str(shape)
                        + " has all weights zero");
            }
            int pick = rng.pickIndex(rowsView.data, base, n, total, replacement);
            // Rounding at the very end, or a uniform of exactly 0 before a leading zero weight, must not pick
            // a zero weight: take the nearest non-zero one below, else above (the row sums to more than 0).
            int chosen = pick;
            while (chosen > 0 && rowsView.data[base + chosen] == 0f) {
                chosen--;
            }
            while (rowsView.data[base + chosen] == 0f) {
                chosen = ++pick;
            }
            out[r] = chosen;
        }
        return IntTensor.of(out, Arrays.copyOf(shape, shape.length - 1));
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
