package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which storage a window hands on, and what the next tensors of that size find in it. */
class StorageReuseTest {

    @AfterEach
    void emptyTheFreeLists() {
        StorageReuse.clear();
    }

    @Test
    void storageAllocatedInTheWindowIsReusedClearedByTheNextTensorOfItsSize() {
        Tensor dead;
        try (StorageReuse.Window window = StorageReuse.open()) {
            dead = Tensor.full(7f, 3, 5);
            window.reuse(List.of(dead));
        }
        assertEquals(15, StorageReuse.freeFloats());
        assertNotSame(dead.data, Tensor.zeros(15).data, "outside a window the free lists are left alone");
        assertEquals(15, StorageReuse.freeFloats());
        try (StorageReuse.Window next = StorageReuse.open()) {
            Tensor t = Tensor.zeros(5, 3);
            assertSame(dead.data, t.data, "same size: the array comes back");
            assertArrayEquals(new float[15], t.toArray(), 0f, "and is cleared for a tensor of zeros");
            assertEquals(0, StorageReuse.freeFloats());
            assertNotSame(dead.data, Tensor.zeros(15).data, "it is handed out once");
        }
    }

    @Test
    void anOperationThatWritesEveryElementGetsTheArrayWithoutClearing() {
        Tensor a = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        try (StorageReuse.Window window = StorageReuse.open()) {
            window.reuse(List.of(Tensor.full(9f, 3)));
        }
        try (StorageReuse.Window next = StorageReuse.open()) {
            Tensor raw = Tensor.allocateForOverwrite(new int[] {3});
            assertArrayEquals(new float[] {9f, 9f, 9f}, raw.toArray(), 0f, "not cleared: the caller writes it all");
            next.reuse(List.of(raw));
        }
        try (StorageReuse.Window next = StorageReuse.open()) {
            Tensor sum = a.add(a);
            assertArrayEquals(new float[] {2f, 4f, 6f}, sum.toArray(), 0f);
            assertEquals(0, StorageReuse.freeFloats(), "the sum took the reused array");
        }
    }

    @Test
    void storageFromBeforeTheWindowAndKeptStorageAreNeverHandedOn() {
        Tensor before = Tensor.ones(4);
        Tensor kept;
        Tensor inside;
        try (StorageReuse.Window window = StorageReuse.open()) {
            kept = Tensor.full(2f, 4);
            inside = Tensor.full(3f, 4);
            // A view of the kept tensor and the old tensor are handed back too: neither may be reused.
            window.reuse(List.of(before, before.reshape(2, 2), kept.reshape(2, 2), inside, inside.reshape(4, 1)), kept);
        }
        assertEquals(4, StorageReuse.freeFloats(), "only the inside tensor, once, although two views of it came back");
        try (StorageReuse.Window next = StorageReuse.open()) {
            Tensor a = Tensor.zeros(4);
            Tensor b = Tensor.zeros(4);
            assertSame(inside.data, a.data);
            assertNotSame(before.data, b.data);
            assertNotSame(kept.data, b.data);
        }
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, before.toArray(), 0f);
        assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, kept.toArray(), 0f);
    }

    @Test
    void aKeptTensorIsNotHandedOn() {
        try (StorageReuse.Window window = StorageReuse.open()) {
            Tensor parameter = Tensor.ones(6);
            StorageReuse.keep(parameter);
            window.reuse(List.of(parameter));
        }
        assertEquals(0, StorageReuse.freeFloats());
    }

    @Test
    void closingWithoutReuseHandsNothingOn() {
        try (StorageReuse.Window window = StorageReuse.open()) {
            Tensor.ones(8);
        }
        assertEquals(0, StorageReuse.freeFloats());
    }

    @Test
    void windowsDoNotNest() {
        try (StorageReuse.Window window = StorageReuse.open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, StorageReuse::open);
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        StorageReuse.open().close(); // and a closed window lets the next one open
    }

    @Test
    void anotherThreadCannotHandStorageBack() throws Exception {
        try (StorageReuse.Window window = StorageReuse.open()) {
            Tensor t = Tensor.ones(3);
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    window.reuse(List.of(t));
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            other.start();
            other.join();
            assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        }
    }
}
