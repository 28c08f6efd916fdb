package io.github.gptfromscratch.tensor.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types a safetensors header may name, with their sizes and the conversions this library
 * offers: floating types widen or narrow to float32, integer and bool types to {@code int}.
 */
enum DType {
    BOOL(1, Kind.INTEGER),
    U8(1, Kind.INTEGER),
    I8(1, Kind.INTEGER),
    F8_E5M2(1, Kind.FLOAT),
    F8_E4M3(1, Kind.FLOAT),
    I16(2, Kind.INTEGER),
    U16(2, Kind.INTEGER),
    F16(2, Kind.FLOAT),
    BF16(2, Kind.FLOAT),
    I32(4, Kind.INTEGER),
    U32(4, Kind.INTEGER),
    F32(4, Kind.FLOAT),
    F64(8, Kind.FLOAT),
    I64(8, Kind.INTEGER),
    U64(8, Kind.INTEGER);

    /** Which accessor reads a dtype. */
    enum Kind { FLOAT, INTEGER }

    final int byteSize;
    final Kind kind;

    DType(int byteSize, Kind kind) {
        this.byteSize = byteSize;
        this.kind = kind;
    }

    /** The dtype called {@code name} in a header, or null when there is none by that exact name. */
    static DType byName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** All dtype names, for the error that rejects an unknown one. */
    static String allNames() {
        StringBuilder sb = new StringBuilder();
        for (DType d : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.name());
        }
        return sb.toString();
    }

    /** Decodes {@code count} little-endian values of this floating dtype starting at {@code begin}. */
    float[] toFloats(byte[] data, int begin, int count) {
        float[] out = new float[count];
        ByteBuffer b = ByteBuffer.wrap(data, begin, count * byteSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            case F8_E5M2 -> {
                // E5M2 is the upper byte of an IEEE half.
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat((short) ((b.get(i) & 0xff) << 8));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = e4m3ToFloat(b.get(i));
                }
            }
            default -> throw new IllegalStateException(this + " is not a floating dtype");
        }
        return out;
    }

    /**
     * Decodes {@code count} little-endian values of this integer dtype starting at {@code begin}.
     *
     * @return the values, or the index of the first value that does not fit an {@code int} (or is a bool
     *     byte other than 0 and 1) in {@link IntConversion#badIndex}
     */
    IntConversion toInts(byte[] data, int begin, int count) {
        int[] out = new int[count];
        ByteBuffer b = ByteBuffer.wrap(data, begin, count * byteSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            long v = switch (this) {
                case BOOL, U8 -> b.get(i) & 0xff;
                case I8 -> b.get(i);
                case I16 -> b.getShort(i * 2);
                case U16 -> b.getShort(i * 2) & 0xffff;
                case I32 -> b.getInt(i * 4);
                case U32 -> b.getInt(i * 4) & 0xffffffffL;
                case I64 -> b.getLong(i * 8);
                case U64 -> {
                    long raw = b.getLong(i * 8);
                    yield raw < 0 ? Long.MAX_VALUE : raw; // above 2^63: certainly out of the int range
                }
                default -> throw new IllegalStateException(this + " is not an integer dtype");
            };
            boolean fits = this == BOOL ? (v == 0 || v == 1) : (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE);
            if (!fits) {
                return new IntConversion(null, i, this == U64 && v == Long.MAX_VALUE
                        ? Long.toUnsignedString(b.getLong(i * 8)) : Long.toString(v));
            }
            out[i] = (int) v;
        }
        return new IntConversion(out, -1, null);
    }

    /** The result of {@link #toInts}: either {@code values}, or the first bad value and its flat index. */
    record IntConversion(int[] values, int badIndex, String badValue) {
    }

    /** IEEE 754 binary16 to float32, exactly (every half is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // inf or NaN, payload kept
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa × 2^-24, exact in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** OCP FP8 E4M3 ("fn": no infinities, S.1111.111 is NaN, bias 7) to float32, exactly. */
    static float e4m3ToFloat(byte v) {
        int bits = v & 0xff;
        int exponent = (bits >>> 3) & 0xf;
        int mantissa = bits & 0x7;
        float magnitude;
        if (exponent == 0xf && mantissa == 0x7) {
            magnitude = Float.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-9f;
        } else {
            magnitude = (1 + mantissa / 8f) * (float) Math.scalb(1.0, exponent - 7);
        }
        return (bits & 0x80) == 0 ? magnitude : -magnitude;
    }
}
