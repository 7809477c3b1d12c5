/**
 * One concrete test class per (backend, suite): every suite is an abstract {@code *Contract} written
 * against {@link dev.ember.nn.testing.BackendTest#backend()}, and runs on {@code cpu} and
 * {@code opencl}. A backend that cannot run here is skipped with its probe's reason, unless
 * {@code -Dember.require} names it (CI requires both): then its tests fail.
 */
package dev.ember.nn.backends;
