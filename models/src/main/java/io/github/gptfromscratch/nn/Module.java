package io.github.gptfromscratch.nn;

import io.github.gptfromscratch.autograd.Var;
import io.github.gptfromscratch.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A part of a network with named parameters, named buffers (state that is saved but not trained,
 * such as BatchNorm's running statistics) and named sub-modules, in registration order.
 *
 * <p>Names join with dots as PyTorch's state dicts do ({@code transformer.h.0.attn.c_attn.weight}),
 * so weights move between this library and PyTorch without renaming.
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *     final Linear fc1 = register("fc1", new Linear(10, 200, true, rng));
 *     final Linear fc2 = register("fc2", new Linear(200, 27, true, rng));
 *     Var forward(Var x) { return fc2.forward(fc1.forward(x).tanh()); }
 * }
 * }</pre>
 */
public abstract class Module {

    private final Map<String, Var> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a sub-module under {@code name} and returns it. */
    protected final <M extends Module> M register(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    /** Registers a trainable parameter initialised to {@code init} (kept, not copied). */
    protected final Var parameter(String name, Tensor init) {
        checkName(name);
        Var p = Var.parameter(init);
        parameters.put(name, p);
        return p;
    }

    /** Registers a buffer: saved with the weights, updated by the module itself, never trained. */
    protected final Tensor buffer(String name, Tensor init) {
        checkName(name);
        buffers.put(name, init);
        return init;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member name '" + name + "' must be non-empty and dot-free");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("module member '" + name + "' is registered twice");
        }
    }

    /** Every parameter of this module and its descendants under its dotted name, in a stable order. */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collect("", out, null);
        return Collections.unmodifiableMap(out);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Var> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer under its dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Var> params, Map<String, Tensor> bufs) {
        if (params != null) {
            parameters.forEach((n, p) -> params.putIfAbsent(prefix + n, p));
        }
        if (bufs != null) {
            buffers.forEach((n, b) -> bufs.put(prefix + n, b));
        }
        children.forEach((n, c) -> c.collect(prefix + n + ".", params, bufs));
    }

    /** Parameter values and buffers by name: what a checkpoint stores. Tensors are shared, not copied. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((n, p) -> out.put(n, p.value()));
        out.putAll(namedBuffers());
        return out;
    }

    /**
     * Copies values into the parameters and buffers by name. Every name and shape is checked first and
     * all mismatches are reported at once (missing, unexpected, wrong shape); nothing is changed then.
     *
     * @throws IllegalArgumentException listing every mismatch
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> mine = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                problems.add("missing: " + e.getKey() + " " + Arrays.toString(e.getValue().shape()));
            } else if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                problems.add("wrong shape: " + e.getKey() + " is " + Arrays.toString(given.shape()) + ", expected "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : state.keySet()) {
            if (!mine.containsKey(name)) {
                problems.add("unexpected: " + name + " " + Arrays.toString(state.get(name).shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + problems.size() + " mismatch(es) for "
                    + getClass().getSimpleName() + ":\n  " + String.join("\n  ", problems));
        }
        mine.forEach((name, target) -> target.copyFrom(state.get(name)));
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Var p : namedParameters().values()) {
            n += p.value().numel();
        }
        return n;
    }

    /** Switches this module and its descendants to training (true) or evaluation (false) behaviour. */
    public final void train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
    }

    /** Evaluation mode: BatchNorm uses its running statistics, Dropout passes values through. */
    public final void eval() {
        train(false);
    }

    /** Whether the module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient, keeping the storage for the next backward pass. */
    public final void zeroGrad() {
        namedParameters().values().forEach(Var::zeroGrad);
    }
}
