package dev.ember.nn.init;

/** The standard initialisers by name. */
public final class Initializers {
    private Initializers() {
    }

    public static Initializer zeros() {
        return new Zeros();
    }

    public static Initializer ones() {
        return new Zeros(1);
    }

    /** Standard normal times {@code scale}. */
    public static Initializer randomNormal(double scale) {
        return new RandomNormal(scale);
    }

    /** He normal: standard deviation {@code sqrt(2 / fan_in)}, for ReLU networks. */
    public static Initializer heNormal() {
        return new VarianceScaling("he_normal", 2, false, false);
    }

    /** LeCun normal: standard normal / {@code sqrt(fan_in)}. */
    public static Initializer lecunNormal() {
        return new VarianceScaling("lecun_normal", 1, false, false);
    }

    /** Xavier/Glorot normal: standard deviation {@code sqrt(2 / (fan_in + fan_out))}. */
    public static Initializer glorotNormal() {
        return new VarianceScaling("glorot_normal", 1, true, false);
    }

    /** Xavier/Glorot uniform: {@code U(-l, l)} with {@code l = sqrt(6 / (fan_in + fan_out))}. */
    public static Initializer glorotUniform() {
        return new VarianceScaling("glorot_uniform", 1, true, true);
    }

    /** Exactly these row-major values. */
    public static Initializer values(double[] values) {
        return new HostValues(values, false);
    }

    /** Row-major values of shape {@code [fanOut, fanIn]} (numpy's {@code W[l]}), transposed into a Dense kernel. */
    public static Initializer valuesOutByIn(double[] values) {
        return new HostValues(values, true);
    }
}
