package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One computation of {@code ember info --check} on one backend, compared with a float64 reference.
 *
 * @param backend     the backend's name
 * @param dtype       {@code F32} or {@code F64}
 * @param check       {@code gemm}, {@code softmax} or {@code batchnorm}
 * @param shape       what was computed, e.g. {@code 64x48 * 48x32}
 * @param pass        whether it ran and {@code maxRelError <= tolerance}
 * @param maxRelError the largest relative error against the reference ({@code null} if it did not run)
 * @param tolerance   the largest error that passes
 * @param millis      wall time of the computation including reading the result back ({@code null} if it failed)
 * @param message     why it failed ({@code null} on a pass)
 */
public record CheckResult(String backend, String dtype, String check, String shape, boolean pass,
                          Double maxRelError, double tolerance, Double millis,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
}
