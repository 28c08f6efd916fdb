package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.Tensor;

/**
 * Shape operations. Their forward passes are views of the same storage (no copy where the layout
 * allows); their backward passes put the gradient back into the input's shape.
 */
public final class Views {

    private Views() {
    }

    /** The same values with another shape (a view where the layout allows; one size may be −1). */
    public static Var reshape(Var a, int... shape) {
        int[] in = a.shape();
        return Tape.record(a.value().reshape(shape), g -> a.accumulate(g.reshape(in)), a);
    }

    /** Swaps two axes (a view). */
    public static Var transpose(Var a, int axis0, int axis1) {
        return Tape.record(a.value().transpose(axis0, axis1), g -> a.accumulate(g.transpose(axis0, axis1)), a);
    }

    /** Reorders the axes (a view); the backward applies the inverse permutation. */
    public static Var permute(Var a, int... order) {
        Tensor out = a.value().permute(order);
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[order[i] < 0 ? order[i] + order.length : order[i]] = i;
        }
        return Tape.record(out, g -> a.accumulate(g.permute(inverse)), a);
    }

    /** Elements [start, end) along an axis (a view); the backward adds into that part of a's gradient. */
    public static Var slice(Var a, int axis, int start, int end) {
        return Tape.record(a.value().slice(axis, start, end),
                g -> a.accumulateRegion(g, full -> full.slice(axis, start, end)), a);
    }

    /** One index of an axis, which disappears (a view). */
    public static Var select(Var a, int axis, int index) {
        return Tape.record(a.value().select(axis, index),
                g -> a.accumulateRegion(g, full -> full.select(axis, index)), a);
    }

    /** Inserts a size-1 axis (a view). */
    public static Var unsqueeze(Var a, int axis) {
        int[] in = a.shape();
        return Tape.record(a.value().unsqueeze(axis), g -> a.accumulate(g.reshape(in)), a);
    }

    /** Removes a size-1 axis (a view). */
    public static Var squeeze(Var a, int axis) {
        int[] in = a.shape();
        return Tape.record(a.value().squeeze(axis), g -> a.accumulate(g.reshape(in)), a);
    }

    /** Broadcast view; the backward sums over the expanded axes. */
    public static Var expand(Var a, int... shape) {
        return Tape.record(a.value().expand(shape), a::accumulate, a);
    }

    /** Joins along an existing axis; the backward hands each part its slice of the gradient. */
    public static Var concat(int axis, Var... parts) {
        Tensor[] values = new Tensor[parts.length];
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        Tensor out = Tensor.concat(axis, values);
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = values[i].size(axis);
        }
        return Tape.record(out, g -> {
            Tensor[] pieces = g.split(axis, sizes);
            for (int i = 0; i < parts.length; i++) {
                parts[i].accumulate(pieces[i]);
            }
        }, parts);
    }

    /** Cuts along an axis into pieces of the given sizes (views). */
    public static Var[] split(Var a, int axis, int... sizes) {
        Var[] out = new Var[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = slice(a, axis, at, at + sizes[i]);
            at += sizes[i];
        }
        if (at != a.value().size(axis)) {
            throw new IllegalArgumentException("split: sizes add up to " + at + " but axis " + axis + " of shape "
                    + java.util.Arrays.toString(a.shape()) + " has " + a.value().size(axis));
        }
        return out;
    }
}
