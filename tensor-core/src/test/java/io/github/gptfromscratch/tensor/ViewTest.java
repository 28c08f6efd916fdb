package io.github.gptfromscratch.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Known answers for the view operations: shapes, strides, offsets and shared storage. */
final class ViewTest {

    private static Tensor range(int... shape) {
        return Tensor.arange(Shapes.numel(shape)).view(shape);
    }

    @Test
    void viewOfATransposeFailsAndReshapeCopies() {
        Tensor t = range(2, 3).t();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("use reshape()"), e.getMessage());
        assertTrue(e.getMessage().startsWith("view:"), e.getMessage());
        assertTrue(e.getMessage().contains("[3,2]") && e.getMessage().contains("[6]"), e.getMessage());

        Tensor r = t.reshape(6);
        assertNotSame(t.storage(), r.storage(), "reshape of a transpose must copy");
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, r.toArray());
    }

    @Test
    void viewAfterASliceSharesStorageWhereStridesAllow() {
        Tensor x = range(4, 6);
        Tensor rows = x.slice(0, 1, 3); // rows 1..2: still contiguous rows of 6
        Tensor flat = rows.view(12);
        assertSame(x.storage(), flat.storage());
        assertEquals(6, flat.offset());
        assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, flat.toArray());

        Tensor cols = x.slice(1, 2, 5); // [4,3] with row stride 6: rows can split, not merge
        Tensor split = cols.view(2, 2, 3);
        assertSame(x.storage(), split.storage());
        assertArrayEquals(new int[] {12, 6, 1}, split.strides());
        assertThrows(IllegalArgumentException.class, () -> cols.view(12));
        Tensor reshaped = cols.reshape(12);
        assertNotSame(x.storage(), reshaped.storage());
        assertArrayEquals(new float[] {2, 3, 4, 8, 9, 10, 14, 15, 16, 20, 21, 22}, reshaped.toArray());
    }

    @Test
    void viewInfersMinusOneAndWritesThrough() {
        Tensor x = range(2, 3, 4);
        Tensor v = x.view(-1, 4);
        assertArrayEquals(new int[] {6, 4}, v.shape());
        v.set(100f, 5, 3);
        assertEquals(100f, x.get(1, 2, 3));
        assertArrayEquals(new int[] {1, 24, 1}, x.view(1, 24, 1).shape());
        assertEquals(0, Tensor.scalar(3f).view(1, 1).reshape().dim());
    }

    @Test
    void expandUsesStrideZero() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = col.expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.shape());
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        assertSame(col.storage(), e.storage());
        assertEquals(2f, e.get(1, 1, 3));
        assertArrayEquals(new int[] {3, 5}, col.expand(-1, 5).shape());
        assertFalse(e.isContiguous());
        assertEquals(24, e.contiguous().numel());
    }

    @Test
    void unsqueezeAndSqueeze() {
        Tensor x = range(2, 3);
        Tensor u = x.unsqueeze(1);
        assertArrayEquals(new int[] {2, 1, 3}, u.shape());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(0).shape());
        assertTrue(u.isContiguous());
        assertSame(x.storage(), u.storage());
        assertArrayEquals(new int[] {2, 3}, u.squeeze(1).shape());
        assertArrayEquals(x.toArray(), u.squeeze(-2).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.squeeze(0));
        assertTrue(e.getMessage().startsWith("squeeze:") && e.getMessage().contains("[2,3]"), e.getMessage());
    }

    @Test
    void selectAndSliceMoveTheOffset() {
        Tensor x = range(3, 4, 5);
        Tensor s = x.select(1, 2);
        assertArrayEquals(new int[] {3, 5}, s.shape());
        assertArrayEquals(new int[] {20, 1}, s.strides());
        assertEquals(10, s.offset());
        assertEquals(31f, s.get(1, 1));
        Tensor sl = x.slice(2, 1, 4).slice(0, 2, 3);
        assertArrayEquals(new int[] {1, 4, 3}, sl.shape());
        assertEquals(41, sl.offset());
        assertEquals(41f + 5 + 2, sl.get(0, 1, 2));
        assertSame(x.storage(), sl.storage());
        assertEquals(0, x.slice(0, 1, 1).numel());
        assertEquals(x.select(-1, 4).get(2, 3), x.get(2, 3, 4));
    }

    @Test
    void contiguousReturnsItselfOnlyWhenContiguous() {
        Tensor x = range(3, 4);
        assertSame(x, x.contiguous());
        Tensor rows = x.slice(0, 1, 3);
        assertSame(rows, rows.contiguous());
        Tensor t = x.t();
        Tensor c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, c.toArray());
        Tensor oneCol = x.slice(1, 2, 3); // [3,1]: the size-1 axis may have any stride
        assertFalse(oneCol.isContiguous());
        Tensor oneRow = x.slice(0, 1, 2); // [1,4]
        assertSame(oneRow, oneRow.contiguous());
    }

    @Test
    void permuteReordersShapeAndStrides() {
        Tensor x = range(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertArrayEquals(new int[] {1, 12, 4}, p.strides());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertEquals(x.get(1, 0, 2), x.transpose(0, 2).get(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1));
    }
}
