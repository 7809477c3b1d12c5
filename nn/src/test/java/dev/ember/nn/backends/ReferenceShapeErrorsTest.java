package dev.ember.nn.backends;

import dev.ember.nn.config.ShapeErrorsContract;

/** ShapeErrorsContract on the reference backend. */
class ReferenceShapeErrorsTest extends ShapeErrorsContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
