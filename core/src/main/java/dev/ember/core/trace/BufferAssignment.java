package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the step's temporaries memory by liveness: a temporary lives from the first call that
 * touches it to the last, and takes over the buffer of one whose life has ended (same dtype, large
 * enough, the smallest such) or else keeps its own. Live ranges that share a call never share a
 * buffer, so a call never reads and writes one buffer unless the recording did.
 */
final class BufferAssignment {
    private final Map<DeviceBuffer, DeviceBuffer> target = new IdentityHashMap<>();
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    private BufferAssignment() {
    }

    static BufferAssignment assign(List<Call> calls, Set<DeviceBuffer> temporaries) {
        Map<DeviceBuffer, int[]> live = new IdentityHashMap<>();   // temporary -> {first, last}
        List<DeviceBuffer> order = new ArrayList<>();               // by first use
        for (int i = 0; i < calls.size(); i++) {
            for (Span s : calls.get(i).spans) {
                DeviceBuffer b = s.buffer();
                if (temporaries.contains(b)) {
                    int[] range = live.get(b);
                    if (range == null) {
                        live.put(b, new int[] {i, i});
                        order.add(b);
                    } else {
                        range[1] = i;
                    }
                }
            }
        }
        BufferAssignment a = new BufferAssignment();
        Map<DeviceBuffer, Integer> busyUntil = new IdentityHashMap<>();
        for (DeviceBuffer t : order) {
            int[] range = live.get(t);
            DeviceBuffer best = null;
            for (DeviceBuffer p : a.buffers) {
                if (busyUntil.get(p) < range[0] && p.dtype() == t.dtype() && p.length() >= t.length()
                        && (best == null || p.length() < best.length())) {
                    best = p;
                }
            }
            if (best == null) {
                best = t;
                a.buffers.add(t);
            }
            a.target.put(t, best);
            busyUntil.put(best, range[1]);
        }
        return a;
    }

    /** Whether {@code b} is one of the buffers a replay uses. */
    boolean isUsed(DeviceBuffer b) {
        return target.get(b) == b;
    }

    /** The buffers the replay uses for temporaries (the plan frees them). */
    List<DeviceBuffer> buffers() {
        return buffers;
    }

    /** {@code c} with each temporary replaced by the buffer it was given. */
    Call remap(Call c) {
        Span[] replaced = null;
        for (int i = 0; i < c.spans.length; i++) {
            DeviceBuffer to = target.get(c.spans[i].buffer());
            if (to != null && to != c.spans[i].buffer()) {
                if (replaced == null) {
                    replaced = c.spans.clone();
                }
                replaced[i] = new Span(to, c.spans[i].offset());
            }
        }
        return replaced == null ? c : c.on(replaced);
    }
}
