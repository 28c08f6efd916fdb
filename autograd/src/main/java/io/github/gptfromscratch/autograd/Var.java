package io.github.gptfromscratch.autograd;

import io.github.gptfromscratch.tensor.IntTensor;
import io.github.gptfromscratch.tensor.StorageReuse;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A differentiable value: a {@link Tensor} and, when it requires a gradient, the gradient of the
 * objective with respect to it.
 *
 * <p>Parameters ({@link #parameter}) live long and accumulate gradients across backward passes until
 * {@link #zeroGrad()} or {@link #dropGrad()}. Values computed from them while a {@link Tape} records
 * are intermediates: their gradients exist only during the backward pass. Constants never get one.
 *
 * <pre>{@code
 * Var w = Var.parameter(Tensor.randn(rng, 10, 200));
 * Var x = Var.constant(inputs);
 * try (Tape tape = Tape.record()) {
 *     Var loss = x.matmul(w).tanh().sum();
 *     tape.backward(loss);
 * }
 * Tensor dw = w.grad();
 * }</pre>
 */
public final class Var {

    private enum Kind { CONSTANT, PARAMETER, INTERMEDIATE }

    private final Tensor value;
    private final Kind kind;
    private Tensor grad;
    /** Whether {@link #grad} is a tensor this Var owns and may update in place. */
    private boolean gradOwned;
    /** Set by {@link #zeroGrad()}: the owned gradient counts as zero until it is read or written. */
    private boolean gradPendingZero;
    /** Set when a storage-reusing tape has handed this intermediate's storage to later tensors. */
    private boolean retired;

    private Var(Tensor value, Kind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** A value that requires a gradient and keeps it across backward passes (a weight, a bias). */
    public static Var parameter(Tensor value) {
        StorageReuse.keep(value); // made during a storage-reusing step, it still outlives the step
        return new Var(value, Kind.PARAMETER);
    }

    /** A value that never gets a gradient (inputs, masks). */
    public static Var constant(Tensor value) {
        return new Var(value, Kind.CONSTANT);
    }

    static Var intermediate(Tensor value) {
        return new Var(value, Kind.INTERMEDIATE);
    }

    /**
     * The value. Updating a parameter's value in place (the optimizer's job) is allowed outside a recording.
     *
     * @throws IllegalStateException for an intermediate whose storage a {@link Tape#recordReusingStorage()
     *                               storage-reusing tape} has passed on after its backward pass
     */
    public Tensor value() {
        if (retired) {
            throw new IllegalStateException("Var.value: this intermediate of shape " + Arrays.toString(value.shape())
                    + " was computed on a storage-reusing tape (Tape.recordReusingStorage) whose backward pass has "
                    + "finished, so its storage now belongs to newer tensors; read it before backward(), or "
                    + "record with Tape.record()");
        }
        return value;
    }

    /** The value even after {@link #retire()}: for the tape, which hands its storage on. */
    Tensor valueUnchecked() {
        return value;
    }

    /** Marks an intermediate whose storage is being reused; {@link #value()} refuses from now on. */
    void retire() {
        retired = true;
    }

    /** The accumulated gradient: zeros after {@link #zeroGrad()}, {@code null} after {@link #dropGrad()} or before any backward pass. */
    public Tensor grad() {
        if (gradPendingZero) {
            grad.fill(0f);
            gradPendingZero = false;
        }
        return grad;
    }

    /** Whether operations on this value are recorded for differentiation. */
    public boolean requiresGrad() {
        return kind != Kind.CONSTANT;
    }

    /** Whether this is a long-lived parameter. */
    public boolean isParameter() {
        return kind == Kind.PARAMETER;
    }

    /**
     * Sets the gradient to zeros, keeping its storage for the next backward pass (which then writes
     * instead of adding: the zeros are never actually filled in unless the gradient is read first).
     */
    public void zeroGrad() {
        if (grad != null && gradOwned) {
            gradPendingZero = true;
        } else {
            grad = null;
        }
    }

    /** Forgets the gradient (frees its memory). */
    public void dropGrad() {
        grad = null;
        gradOwned = false;
        gradPendingZero = false;
    }

    /** Shape of the value. */
    public int[] shape() {
        return value.shape();
    }

    /**
     * Adds {@code g} to the gradient, first summing over the axes along which this value was broadcast.
     * Parameters own their gradient tensor (the optimizer may scale it in place); intermediates keep
     * the tensor they are given, which may be shared, and never change it in place: a second gradient
     * makes a fresh sum, which they then own.
     */
    void accumulate(Tensor g) {
        if (kind == Kind.CONSTANT) {
            return;
        }
        Tensor reduced = Broadcasting.sumTo(g, value.shape());
        if (grad == null) {
            if (kind == Kind.PARAMETER) {
                grad = reduced.copy();
                gradOwned = true;
            } else {
                grad = reduced;
                gradOwned = false;
            }
        } else if (gradOwned && gradPendingZero) {
            grad.copyFrom(reduced);
            gradPendingZero = false;
        } else if (gradOwned) {
            grad.addInPlace(reduced);
        } else {
            // The sum is a fresh tensor that nobody else holds: further gradients may go into it in place.
            grad = grad.add(reduced);
            gradOwned = true;
        }
    }

    /**
     * Adds {@code g} to the part of the gradient that {@code region} selects (a view of a tensor of this
     * value's shape: a slice, a selected index), as {@code accumulate} of a zero tensor with {@code g} in
     * that region would, without building that tensor for every region: the backward of the GPT's q, k
     * and v, three slices of one projection, writes them into one gradient buffer.
     */
    void accumulateRegion(Tensor g, UnaryOperator<Tensor> region) {
        if (kind == Kind.CONSTANT) {
            return;
        }
        if (grad == null || !gradOwned) {
            Tensor full = grad == null ? Tensor.zeros(value.shape()) : grad.copy();
            region.apply(full).addInPlace(g);
            grad = full;
            gradOwned = true;
        } else {
            if (gradPendingZero) {
                grad.fill(0f);
                gradPendingZero = false;
            }
            region.apply(grad).addInPlace(g);
        }
    }

    /**
     * Adds the 2-D product {@code a·b} to the gradient, as {@code accumulate(a.matmul(b))} does. A
     * parameter that owns its gradient gets the product written straight into that buffer: a weight's
     * gradient is the largest temporary of a small model's backward pass, and this saves allocating,
     * filling and copying it.
     */
    void accumulateProduct(Tensor a, Tensor b) {
        if (kind == Kind.PARAMETER && gradOwned && a.dim() == 2 && b.dim() == 2 && value.dim() == 2
                && value.size(0) == a.size(0) && value.size(1) == b.size(1)) {
            grad.matmulInPlace(a, b, !gradPendingZero);
            gradPendingZero = false;
        } else {
            accumulate(a.matmul(b));
        }
    }

    /** Hands the gradient of an intermediate to its backward function and forgets it. */
    Tensor takeGrad() {
        Tensor g = grad;
        if (kind == Kind.INTERMEDIATE) {
            grad = null;
        }
        return g;
    }

    // ------------------------------------------------------------------ fluent operations

    /** this + other, broadcasting. */
    public Var add(Var other) {
        return Elementwise.add(this, other);
    }

    /** this + c. */
    public Var add(float c) {
        return Elementwise.add(this, c);
    }

    /** this − other, broadcasting. */
    public Var sub(Var other) {
        return Elementwise.sub(this, other);
    }

    /** this · other elementwise, broadcasting. */
    public Var mul(Var other) {
        return Elementwise.mul(this, other);
    }

    /** this · c. */
    public Var mul(float c) {
        return Elementwise.mul(this, c);
    }

    /** this / other, broadcasting. */
    public Var div(Var other) {
        return Elementwise.div(this, other);
    }

    /** −this. */
    public Var neg() {
        return Elementwise.neg(this);
    }

    /** this^p elementwise. */
    public Var pow(float p) {
        return Elementwise.pow(this, p);
    }

    /** e^this elementwise. */
    public Var exp() {
        return Elementwise.exp(this);
    }

    /** Natural logarithm elementwise. */
    public Var log() {
        return Elementwise.log(this);
    }

    /** tanh elementwise. */
    public Var tanh() {
        return Elementwise.tanh(this);
    }

    /** max(this, 0) elementwise. */
    public Var relu() {
        return Elementwise.relu(this);
    }

    /** 1 / (1 + e^−this) elementwise. */
    public Var sigmoid() {
        return Elementwise.sigmoid(this);
    }

    /** GELU with the exact normal CDF (PyTorch's default). */
    public Var gelu() {
        return Elementwise.gelu(this);
    }

    /** GELU's tanh approximation. */
    public Var geluTanh() {
        return Elementwise.geluTanh(this);
    }

    /** Sum of all elements (0-d). */
    public Var sum() {
        return Reductions.sum(this);
    }

    /** Sum over one axis. */
    public Var sum(int axis, boolean keepDim) {
        return Reductions.sum(this, new int[] {axis}, keepDim);
    }

    /** Mean of all elements (0-d). */
    public Var mean() {
        return Reductions.mean(this);
    }

    /** Mean over one axis. */
    public Var mean(int axis, boolean keepDim) {
        return Reductions.mean(this, new int[] {axis}, keepDim);
    }

    /** Matrix product over the last two axes, batch axes broadcast. */
    public Var matmul(Var other) {
        return MatMul.matmul(this, other);
    }

    /** The same values with another shape (a view where the layout allows; one size may be −1). */
    public Var reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    /** Alias of {@link #reshape}: a view where the layout allows, else a copy. */
    public Var view(int... shape) {
        return Views.reshape(this, shape);
    }

    /** Swaps two axes (a view). */
    public Var transpose(int axis0, int axis1) {
        return Views.transpose(this, axis0, axis1);
    }

    /** Reorders the axes (a view). */
    public Var permute(int... order) {
        return Views.permute(this, order);
    }

    /** Elements [start, end) along an axis (a view). */
    public Var slice(int axis, int start, int end) {
        return Views.slice(this, axis, start, end);
    }

    /** One index of an axis, which disappears (a view). */
    public Var select(int axis, int index) {
        return Views.select(this, axis, index);
    }

    /** Inserts a size-1 axis (a view). */
    public Var unsqueeze(int axis) {
        return Views.unsqueeze(this, axis);
    }

    /** Removes a size-1 axis (a view). */
    public Var squeeze(int axis) {
        return Views.squeeze(this, axis);
    }

    /** Broadcasts to a larger shape (a view with stride 0). */
    public Var expand(int... shape) {
        return Views.expand(this, shape);
    }

    /** Softmax along an axis. */
    public Var softmax(int axis) {
        return Softmaxes.softmax(this, axis);
    }

    /** Log-softmax along an axis. */
    public Var logSoftmax(int axis) {
        return Softmaxes.logSoftmax(this, axis);
    }

    /** Mean cross-entropy of these logits (last axis = classes) against integer targets. */
    public Var crossEntropy(IntTensor targets) {
        return Losses.crossEntropy(this, targets);
    }

    /** Mean cross-entropy over the targets that are not {@code ignoreIndex} (padding). */
    public Var crossEntropy(IntTensor targets, int ignoreIndex) {
        return Losses.crossEntropy(this, targets, ignoreIndex);
    }

    @Override
    public String toString() {
        return "Var(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", " + value + ")";
    }
}
