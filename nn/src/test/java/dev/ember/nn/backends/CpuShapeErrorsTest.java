package dev.ember.nn.backends;

import dev.ember.nn.config.ShapeErrorsContract;

/** ShapeErrorsContract on the cpu backend. */
class CpuShapeErrorsTest extends ShapeErrorsContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
