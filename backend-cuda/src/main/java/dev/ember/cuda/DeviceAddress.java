package dev.ember.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * The raw device address behind a JCuda pointer, for the FFM bindings (cuBLAS) that take addresses
 * where JCuda's own calls take {@link Pointer}s. JCuda keeps the address and the offset of a
 * {@link Pointer#withByteOffset} view in protected accessors, so they are read through reflection,
 * looked up once.
 */
public final class DeviceAddress {
    private static final MethodHandle NATIVE_POINTER = accessor(NativePointerObject.class, "getNativePointer");
    private static final MethodHandle BYTE_OFFSET = accessor(Pointer.class, "getByteOffset");

    private DeviceAddress() {
    }

    /**
     * The address a pointer (e.g. a {@code CUdeviceptr}) denotes: JCuda's native pointer plus the byte
     * offset of the view.
     */
    public static long of(Pointer pointer) {
        if (pointer == null) {
            throw new IllegalArgumentException("device address: pointer is null");
        }
        try {
            long base = (long) NATIVE_POINTER.invokeExact((NativePointerObject) pointer);
            return base + (long) BYTE_OFFSET.invokeExact(pointer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("device address: cannot read the address of " + pointer + ": " + e, e);
        }
    }

    /** The native handle of a JCuda object that is not a pointer view, e.g. a {@code CUstream}. */
    public static long handle(NativePointerObject object) {
        if (object == null) {
            throw new IllegalArgumentException("device address: handle is null");
        }
        try {
            return (long) NATIVE_POINTER.invokeExact(object);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("device address: cannot read the handle of " + object + ": " + e, e);
        }
    }

    private static MethodHandle accessor(Class<?> owner, String name) {
        try {
            Method method = owner.getDeclaredMethod(name);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("device address: cannot reach JCuda's " + owner.getName() + "."
                    + name + "() (a JCuda version without it, or its package not open to Ember): " + e);
        }
    }
}
