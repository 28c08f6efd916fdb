package io.github.gptfromscratch.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Modules held by position, named {@code 0}, {@code 1}, … in the state dict (PyTorch's {@code nn.ModuleList}). */
public final class ModuleList<M extends Module> extends Module {

    private final List<M> items = new ArrayList<>();

    /** Appends a module and returns it. */
    public M add(M module) {
        register(Integer.toString(items.size()), module);
        items.add(module);
        return module;
    }

    /** The modules in order. */
    public List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
