package io.github.gptfromscratch.tensor;

import java.util.Arrays;

/** Shape arithmetic and the error messages that name the operation and the shapes. */
final class Shapes {

    private Shapes() {
    }

    /** {@code [2,3,4]}: the form every error message uses. */
    static String str(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    static long checkedNumel(String op, int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31 elements");
            }
        }
        return n;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** Normalises a possibly negative axis, or throws naming the operation and the shape. */
    static int axis(String op, int axis, int[] shape) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + str(shape)
                    + " (" + shape.length + " axes)");
        }
        return a;
    }

    static int flatIndex(String op, int[] index, int[] shape) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length
                    + " components but the shape " + str(shape) + " has " + shape.length + " axes");
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index)
                        + " is out of bounds for shape " + str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /** Resolves one -1 in {@code newShape} and checks the element count is unchanged. */
    static int[] inferShape(String op, int[] oldShape, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one size may be -1 in " + str(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + str(newShape));
            } else {
                known *= s[i];
            }
        }
        long n = numel(oldShape);
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer the -1 in " + str(newShape)
                        + " from shape " + str(oldShape) + " (" + n + " elements)");
            }
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + str(oldShape) + " (" + n
                    + " elements) cannot become " + str(newShape) + " (" + known + " elements)");
        }
        return s;
    }

    /** NumPy broadcasting of two shapes, or an error naming both. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot broadcast (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Checks that {@code from} broadcasts to exactly {@code to} (the target does not grow) and returns {@code to}. */
    static int[] broadcastTo(String op, int[] from, int[] to) {
        int[] b;
        try {
            b = broadcast(op, from, to);
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !Arrays.equals(b, to)) {
            throw new IllegalArgumentException(op + ": shape " + str(from) + " cannot broadcast to " + str(to));
        }
        return to;
    }
}
