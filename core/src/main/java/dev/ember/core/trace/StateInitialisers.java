package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Tensors a traced function creates and neither frees nor returns are state made on its first call
 * (layer weights built lazily, for instance), as variables created by a {@code tf.function}: the
 * calls that initialise them, those that only write state not yet read, ran once at trace time and
 * are not replayed, so a replay does not reset them.
 */
final class StateInitialisers {
    private StateInitialisers() {
    }

    static List<Call> drop(List<Call> calls, Set<DeviceBuffer> state) {
        if (state.isEmpty()) {
            return calls;
        }
        Set<DeviceBuffer> read = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Call> kept = new ArrayList<>(calls.size());
        for (Call c : calls) {
            if (!initialises(c, state, read)) {
                kept.add(c);
            }
            for (int i = 0; i < c.spans.length; i++) {
                if (c.access[i] != Call.Access.WRITE) {
                    read.add(c.spans[i].buffer());
                }
            }
        }
        return kept;
    }

    /** Whether every buffer {@code c} writes is state that nothing has read yet. */
    private static boolean initialises(Call c, Set<DeviceBuffer> state, Set<DeviceBuffer> read) {
        boolean writes = false;
        for (int i = 0; i < c.spans.length; i++) {
            DeviceBuffer b = c.spans[i].buffer();
            if (c.access[i] != Call.Access.READ) {
                if (c.access[i] != Call.Access.WRITE || !state.contains(b) || read.contains(b)) {
                    return false;
                }
                writes = true;
            }
        }
        return writes;
    }
}
