package dev.ember.bench.report;

import java.util.List;

/**
 * A baseline script shipped in this module and the python interpreters to try for it, first that
 * answers wins. PyTorch also tries {@code /usr/bin/python3}: Debian's {@code python3-torch} imports
 * there, not under a pyenv or virtualenv {@code python3} that comes first on the PATH.
 */
public record Baseline(String engine, String script, List<String> pythons) {
    public static final Baseline NUMPY_GEMM = new Baseline("numpy", "numpy_gemm.py", List.of("python3"));
    public static final Baseline NUMPY_TRAIN = new Baseline("numpy", "numpy_train_step.py", List.of("python3"));
    public static final Baseline TORCH_TRAIN = new Baseline("pytorch", "torch_train_step.py",
            List.of("python3", "/usr/bin/python3"));
    public static final Baseline NUMPY_FORWARD = new Baseline("numpy", "numpy_forward.py", List.of("python3"));
    public static final Baseline TORCH_FORWARD = new Baseline("pytorch", "torch_forward.py",
            List.of("python3", "/usr/bin/python3"));

    public Baseline {
        if (pythons.isEmpty()) {
            throw new IllegalArgumentException("baseline " + engine + ": pythons must not be empty");
        }
        pythons = List.copyOf(pythons);
    }
}
