package dev.ember.bench.report;

/**
 * One row of the side-by-side GEMM report. {@code baselineGflops} and {@code ratio} are NaN when
 * the baseline could not run.
 */
public record GemmResult(String op, String backend, int m, int n, int k, boolean transA, boolean transB,
                         int threads, double gflops, String baseline, double baselineGflops, double ratio,
                         double fractionOfPeak) {
}
