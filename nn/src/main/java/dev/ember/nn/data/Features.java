package dev.ember.nn.data;

import java.util.Arrays;

/**
 * A {@link Dataset}'s row-major feature values in one of three encodings: doubles (exact for any
 * input), floats (half the heap; what F32 training reads anyway) or unsigned bytes times a scale
 * (an eighth of the heap; images such as Fashion-MNIST, whose pixels are bytes). Every encoding
 * yields, for each value, the one double {@link #get} returns, and the float nearest that double,
 * so training reads the same numbers whatever the encoding.
 */
sealed interface Features permits Features.Doubles, Features.Floats, Features.ScaledBytes {
    /** Number of values. */
    int length();

    /** Value {@code i} as a double. */
    double get(int i);

    /** {@code count} values from {@code from} into {@code dst[offset...]}. */
    void copy(int from, double[] dst, int offset, int count);

    /** {@code count} values from {@code from} into {@code dst[offset...]}, each rounded to float once. */
    void copy(int from, float[] dst, int offset, int count);

    /** Values {@code [from, to)} in the same encoding. */
    Features range(int from, int to);

    /** Rows {@code rows} of {@code width} values each, in that order, in the same encoding. */
    Features rows(int[] rows, int width);

    /** These values followed by {@code other}'s: the same encoding when both share it, else doubles. */
    default Features concat(Features other) {
        double[] out = new double[Math.addExact(length(), other.length())];
        copy(0, out, 0, length());
        other.copy(0, out, length(), other.length());
        return new Doubles(out);
    }

    /** Exact doubles. */
    record Doubles(double[] values) implements Features {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public void copy(int from, double[] dst, int offset, int count) {
            System.arraycopy(values, from, dst, offset, count);
        }

        @Override
        public void copy(int from, float[] dst, int offset, int count) {
            for (int k = 0; k < count; k++) {
                dst[offset + k] = (float) values[from + k];
            }
        }

        @Override
        public Features range(int from, int to) {
            return new Doubles(Arrays.copyOfRange(values, from, to));
        }

        @Override
        public Features rows(int[] rows, int width) {
            double[] out = new double[Math.multiplyExact(rows.length, width)];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, rows[i] * width, out, i * width, width);
            }
            return new Doubles(out);
        }

        @Override
        public Features concat(Features other) {
            if (other instanceof Doubles o) {
                double[] out = Arrays.copyOf(values, Math.addExact(values.length, o.values.length));
                System.arraycopy(o.values, 0, out, values.length, o.values.length);
                return new Doubles(out);
            }
            return Features.super.concat(other);
        }
    }

    /** Floats: compact, and exactly what F32 training copies to the device. */
    record Floats(float[] values) implements Features {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double get(int i) {
            return values[i];
        }

        @Override
        public void copy(int from, double[] dst, int offset, int count) {
            for (int k = 0; k < count; k++) {
                dst[offset + k] = values[from + k];
            }
        }

        @Override
        public void copy(int from, float[] dst, int offset, int count) {
            System.arraycopy(values, from, dst, offset, count);
        }

        @Override
        public Features range(int from, int to) {
            return new Floats(Arrays.copyOfRange(values, from, to));
        }

        @Override
        public Features rows(int[] rows, int width) {
            float[] out = new float[Math.multiplyExact(rows.length, width)];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, rows[i] * width, out, i * width, width);
            }
            return new Floats(out);
        }

        @Override
        public Features concat(Features other) {
            if (other instanceof Floats o) {
                float[] out = Arrays.copyOf(values, Math.addExact(values.length, o.values.length));
                System.arraycopy(o.values, 0, out, values.length, o.values.length);
                return new Floats(out);
            }
            return Features.super.concat(other);
        }
    }

    /** Unsigned bytes {@code b}, each standing for the double {@code b * scale}. */
    record ScaledBytes(byte[] values, double scale) implements Features {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double get(int i) {
            return (values[i] & 0xff) * scale;
        }

        @Override
        public void copy(int from, double[] dst, int offset, int count) {
            for (int k = 0; k < count; k++) {
                dst[offset + k] = (values[from + k] & 0xff) * scale;
            }
        }

        @Override
        public void copy(int from, float[] dst, int offset, int count) {
            for (int k = 0; k < count; k++) {
                dst[offset + k] = (float) ((values[from + k] & 0xff) * scale);
            }
        }

        @Override
        public Features range(int from, int to) {
            return new ScaledBytes(Arrays.copyOfRange(values, from, to), scale);
        }

        @Override
        public Features rows(int[] rows, int width) {
            byte[] out = new byte[Math.multiplyExact(rows.length, width)];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(values, rows[i] * width, out, i * width, width);
            }
            return new ScaledBytes(out, scale);
        }

        @Override
        public Features concat(Features other) {
            if (other instanceof ScaledBytes o && Double.compare(o.scale, scale) == 0) {
                byte[] out = Arrays.copyOf(values, Math.addExact(values.length, o.values.length));
                System.arraycopy(o.values, 0, out, values.length, o.values.length);
                return new ScaledBytes(out, scale);
            }
            return Features.super.concat(other);
        }
    }
}
