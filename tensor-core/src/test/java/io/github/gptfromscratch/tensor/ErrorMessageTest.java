package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Errors name the operation and the shapes involved. */
final class ErrorMessageTest {

    private static void assertMessage(Class<? extends Throwable> type, Executable call, String op, String... mentions) {
        Throwable e = assertThrows(type, call);
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(op + ":"), "message should start with '" + op + ":' but was: " + m);
        for (String s : mentions) {
            assertTrue(m.contains(s), "message should mention " + s + ": " + m);
        }
    }

    @Test
    void shapesThatCannotBroadcast() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        assertMessage(IllegalArgumentException.class, () -> a.add(b), "add", "[2,3]", "[4]");
        assertMessage(IllegalArgumentException.class, () -> a.mul(b), "mul", "[2,3]", "[4]");
        assertMessage(IllegalArgumentException.class, () -> a.addInPlace(Tensor.zeros(3, 3)), "addInPlace", "[3,3]", "[2,3]");
        // In place the target cannot grow, even where plain broadcasting would.
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(3).addInPlace(a), "addInPlace", "[2,3]", "[3]");
        assertMessage(IllegalArgumentException.class, () -> a.copyFrom(b), "copyFrom", "[4]", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> a.maskedFill(b, 0f), "maskedFill", "[4]", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> a.expand(4, 3), "expand", "[2,3]", "[4,3]");
        assertMessage(IllegalArgumentException.class, () -> a.axpyInPlace(1f, b), "axpy", "[2,3]", "[4]");
    }

    @Test
    void axesOutOfRange() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(IllegalArgumentException.class, () -> x.sum(2, false), "sum", "axis 2", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.mean(-3, false), "mean", "axis -3", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.max(5, true), "max", "axis 5", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.argmax(2, false), "argmax", "axis 2", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.softmax(2), "softmax", "axis 2", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.logSoftmax(-3), "logSoftmax", "axis -3", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.transpose(0, 2), "transpose", "axis 2", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.unsqueeze(4), "unsqueeze", "axis 4", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.variance(new int[] {3}, true, false), "variance", "axis 3", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.concat(2, x, x), "concat", "axis 2", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> x.split(2, 1, 2), "split", "axis 2", "[2,3]");
    }

    @Test
    void indicesOutOfRange() {
        Tensor x = Tensor.zeros(4, 3);
        assertMessage(IndexOutOfBoundsException.class, () -> x.get(4, 0), "get", "[4, 0]", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class, () -> x.set(1f, 0, -1), "set", "[0, -1]", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class, () -> x.select(0, 4), "select", "index 4", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class, () -> x.slice(1, 2, 5), "slice", "[2, 5)", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class,
                () -> x.indexSelect(0, IntTensor.of(new int[] {1, 4}, 2)), "indexSelect", "index 4", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class,
                () -> x.indexAddInPlace(0, IntTensor.of(new int[] {-1}, 1), Tensor.zeros(1, 3)), "indexAdd", "index -1", "[4,3]");
        assertMessage(IndexOutOfBoundsException.class,
                () -> x.gather(1, IntTensor.of(new int[] {0, 3}, 1, 2)), "gather", "index 3", "[4,3]");
    }

    @Test
    void viewsThatCannotBeMade() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(IllegalArgumentException.class, () -> x.t().view(6), "view", "[3,2]", "[6]", "use reshape()");
        assertMessage(IllegalArgumentException.class, () -> x.view(4, 2), "view", "[2,3]", "[4,2]");
        assertMessage(IllegalArgumentException.class, () -> x.reshape(-1, 4), "reshape", "[2,3]", "[-1,4]");
        assertMessage(IllegalArgumentException.class, () -> x.view(-1, -1), "view", "[-1,-1]");
    }

    @Test
    void matmulShapes() {
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(12, 64, 128).matmul(Tensor.zeros(96, 128)),
                "matmul", "[12,64,128]", "[96,128]", "128", "96");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 2)),
                "matmul", "[2,3,4]", "[5,4,2]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(4).matmul(Tensor.zeros(4, 2)), "matmul", "[4]", "[4,2]");
    }

    @Test
    void otherShapeErrors() {
        assertMessage(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "Tensor.of", "[2,3]", "5");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).item(), "item", "[2,3]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)),
                "concat", "[2,3]", "[2,4]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(3)),
                "stack", "[2]", "[3]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 5).split(1, 2, 2), "split", "[2,5]");
        assertMessage(IllegalArgumentException.class,
                () -> Tensor.zeros(4, 3).indexAddInPlace(0, IntTensor.of(new int[] {1, 2}, 2), Tensor.zeros(3, 3)),
                "indexAdd", "[3,3]", "[4,3]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(1, 3).variance(new int[] {0}, true, false),
                "variance", "[1,3]");
    }
}
