package io.github.gptfromscratch.autograd.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gptfromscratch.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpTest {

    private static final long SEED = 1337;

    @Test
    void micrograd_demo_model_has_337_parameters() {
        Mlp model = new Mlp(2, List.of(16, 16, 1), new Rng(SEED));
        // (2+1)*16 + (16+1)*16 + (16+1)*1
        assertEquals(337, model.parameterCount());
        assertEquals("MLP(2, [16, 16, 1])", model.toString());
        assertEquals(2, model.inputs());
        assertEquals(1, model.outputs());
    }

    @Test
    void parameters_come_in_a_stable_order_layer_by_layer_weights_then_bias() {
        Mlp model = new Mlp(2, List.of(3, 1), new Rng(SEED));
        List<Value> first = model.parameters();
        List<Value> second = model.parameters();
        for (int i = 0; i < first.size(); i++) {
            assertSame(first.get(i), second.get(i), "parameter " + i);
        }
        Neuron firstNeuron = model.layers().get(0).neurons().get(0);
        assertSame(firstNeuron.parameters().get(0), first.get(0));
        assertSame(firstNeuron.parameters().get(2), first.get(2), "bias follows the weights");
        Neuron output = model.layers().get(1).neurons().get(0);
        assertSame(output.parameters().get(3), first.get(first.size() - 1), "output bias comes last");
    }

    @Test
    void initialisation_is_uniform_weights_and_zero_biases_from_the_seed() {
        Mlp model = new Mlp(2, List.of(16, 16, 1), new Rng(SEED));
        Mlp again = new Mlp(2, List.of(16, 16, 1), new Rng(SEED));
        List<Value> params = model.parameters();
        List<Value> paramsAgain = again.parameters();
        for (int i = 0; i < params.size(); i++) {
            assertEquals(params.get(i).data(), paramsAgain.get(i).data(), 0.0, "seed " + SEED + ", parameter " + i);
        }
        double min = 1;
        double max = -1;
        for (Layer layer : model.layers()) {
            for (Neuron neuron : layer.neurons()) {
                List<Value> p = neuron.parameters();
                assertEquals(0.0, p.get(p.size() - 1).data(), 0.0, "bias starts at 0");
                for (Value w : p.subList(0, p.size() - 1)) {
                    min = Math.min(min, w.data());
                    max = Math.max(max, w.data());
                }
            }
        }
        assertTrue(min >= -1 && max < 1, "weights in [-1, 1): min " + min + ", max " + max);
        assertTrue(min < -0.8 && max > 0.8, "304 uniform weights should span the range: min " + min + ", max " + max);
    }

    @Test
    void hidden_layers_use_relu_and_the_output_layer_is_linear() {
        Mlp model = new Mlp(2, List.of(4, 4, 1), new Rng(SEED));
        assertEquals(Activation.RELU, model.layers().get(0).neurons().get(0).activation());
        assertEquals(Activation.RELU, model.layers().get(1).neurons().get(0).activation());
        assertEquals(Activation.LINEAR, model.layers().get(2).neurons().get(0).activation());
    }

    @Test
    void neuron_computes_activation_of_weighted_sum_plus_bias() {
        Neuron neuron = new Neuron(2, Activation.LINEAR, new Rng(SEED));
        List<Value> p = neuron.parameters();
        p.get(2).setData(0.25);
        Value out = neuron.apply(List.of(new Value(2.0), new Value(-3.0)));
        assertEquals(2.0 * p.get(0).data() - 3.0 * p.get(1).data() + 0.25, out.data(), 1e-15);

        out.backward();
        assertEquals(2.0, p.get(0).grad(), 0.0);
        assertEquals(-3.0, p.get(1).grad(), 0.0);
        assertEquals(1.0, p.get(2).grad(), 0.0);
    }

    @Test
    void relu_neuron_clamps_negative_sums() {
        Neuron neuron = new Neuron(1, Activation.RELU, new Rng(SEED));
        double w = neuron.parameters().get(0).data();
        Value out = neuron.apply(List.of(new Value(-Math.signum(w))));
        assertEquals(0.0, out.data(), 0.0);
    }

    @Test
    void sgd_step_moves_against_the_gradient_and_zero_grad_clears_it() {
        Mlp model = new Mlp(1, List.of(1), new Rng(SEED));
        Value w = model.parameters().get(0);
        double before = w.data();
        model.apply(2.0).get(0).backward();
        model.sgdStep(0.1);
        assertEquals(before - 0.1 * 2.0, w.data(), 1e-15);
        model.zeroGrad();
        for (Value p : model.parameters()) {
            assertEquals(0.0, p.grad(), 0.0);
        }
    }

    @Test
    void wrong_input_size_is_rejected_with_both_sizes() {
        Mlp model = new Mlp(2, List.of(3, 1), new Rng(SEED));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.apply(1.0, 2.0, 3.0));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("3"), e.getMessage());
    }
}
