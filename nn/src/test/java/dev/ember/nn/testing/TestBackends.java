package dev.ember.nn.testing;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Assumptions;

/** Resolves the backend a test suite runs on: {@code reference} (the scalar test backend) or any provider name. */
public final class TestBackends {
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    private TestBackends() {
    }

    public static Backend byName(String name) {
        if (name.equals("reference")) {
            return REFERENCE;
        }
        Backend b = Backends.byName(name);
        try (Tensor probe = Tensor.full(b, DType.F32, 1.0, 2)) {
            probe.add(probe).close();
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("backend '" + name + "' does not implement its kernels yet: " + e.getMessage());
        }
        return b;
    }
}
