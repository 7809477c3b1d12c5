package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Backends hand out zero-filled buffers and some operations rely on it (a sum accumulated into a
 * fresh tensor, a GEMM with {@code beta = 1}). A replayed buffer holds the previous step's data, so
 * a buffer whose first use is anything but a whole overwrite gets a {@code fill(0)} just before it.
 */
final class ZeroFill {
    private ZeroFill() {
    }

    static List<Call> insert(List<Call> calls, Set<DeviceBuffer> fresh) {
        List<Call> out = new ArrayList<>(calls.size() + 8);
        Set<DeviceBuffer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Call c : calls) {
            for (int i = 0; i < c.spans.length; i++) {
                DeviceBuffer b = c.spans[i].buffer();
                if (fresh.contains(b) && seen.add(b) && reliesOnZero(c, b)) {
                    out.add(new Calls.Fill(dev.ember.core.spi.Span.of(b), b.length(), 0));
                }
            }
            out.add(c);
        }
        return out;
    }

    /** Whether the first call touching {@code b} could see its old contents. */
    private static boolean reliesOnZero(Call c, DeviceBuffer b) {
        boolean overwritten = false;
        for (int i = 0; i < c.spans.length; i++) {
            if (c.spans[i].buffer() == b) {
                if (c.access[i] != Call.Access.WRITE) {
                    return true;
                }
                overwritten |= c.overwritesBuffer(i);
            }
        }
        return !overwritten;
    }
}
