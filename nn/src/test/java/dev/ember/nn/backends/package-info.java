/**
 * One concrete test class per (backend, suite): every suite is an abstract {@code *Contract} written
 * against {@link dev.ember.nn.testing.BackendTest#backend()}. To run the nn suites on another backend,
 * copy the {@code Cpu*Test} classes with its name ({@code opencl}); a backend whose kernels are
 * missing is skipped with the reason, and {@code reference} is the scalar Java backend of the tests.
 */
package dev.ember.nn.backends;
