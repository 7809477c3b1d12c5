package dev.ember.nn.backends;

import dev.ember.nn.config.ShapeErrorsContract;

/** ShapeErrorsContract on the opencl backend. */
class OpenClShapeErrorsTest extends ShapeErrorsContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
