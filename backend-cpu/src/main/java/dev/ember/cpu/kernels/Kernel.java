package dev.ember.cpu.kernels;

/**
 * A kernel body launched over index ranges by {@link Parallel#launch}. Bodies are static,
 * non-capturing lambdas (one shared instance each) that read their arguments by position from an
 * {@link Args} block, as an OpenCL kernel reads the arguments set on it: a capturing lambda would
 * be a new object on every call, and one handed to another thread is never scalar-replaced.
 */
@FunctionalInterface
public interface Kernel {
    /** Processes indices {@code [from, to)} of the launch. */
    void run(Args args, int from, int to);
}
