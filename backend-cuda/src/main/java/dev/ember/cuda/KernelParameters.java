package dev.ember.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One launch's arguments laid out as {@code cuLaunchKernel} reads {@code kernelParams}: an array of
 * pointers, each to its argument's value. They are packed into one block of native memory, which
 * JCuda hands over as a single direct buffer; a Java array per argument, as JCuda's own
 * {@code Pointer.to(int[])} takes them, costs several JNI calls each on every launch.
 */
final class KernelParameters {
    private long[] bits = new long[16];
    private boolean[] wide = new boolean[16];
    private int count;

    int count() {
        return count;
    }

    /** A 32-bit argument (an int, or a float's bits). */
    void add32(int value) {
        add(value & 0xFFFF_FFFFL, false);
    }

    /** A 64-bit argument (a device address, or a double's bits). */
    void add64(long value) {
        add(value, true);
    }

    private void add(long value, boolean isWide) {
        if (count == bits.length) {
            bits = Arrays.copyOf(bits, 2 * count);
            wide = Arrays.copyOf(wide, 2 * count);
        }
        bits[count] = value;
        wide[count] = isWide;
        count++;
    }

    /**
     * The block, from {@code arena}: {@code count} pointers, then one 8-byte slot per value, each
     * pointer to its slot. It must live until {@code cuLaunchKernel} returns (the driver copies the
     * values when the launch is enqueued).
     */
    MemorySegment pack(Arena arena) {
        MemorySegment block = arena.allocate(16L * Math.max(1, count), 8);
        long values = 8L * count;
        for (int i = 0; i < count; i++) {
            long slot = values + 8L * i;
            if (wide[i]) {
                block.set(JAVA_LONG, slot, bits[i]);
            } else {
                block.set(JAVA_INT, slot, (int) bits[i]);
            }
            block.set(JAVA_LONG, 8L * i, block.address() + slot);
        }
        return block;
    }
}
