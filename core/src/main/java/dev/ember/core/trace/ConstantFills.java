package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A temporary that the step first fills with a constant and never writes again (the seed of a
 * backward pass, a tensor of ones) holds the same values at every replay: its fill is done once, when the
 * plan is made, and the buffer becomes the plan's own, outside buffer reuse.
 */
final class ConstantFills {
    /** The calls left to replay, and the buffers made constant with the fills that made them so. */
    record Result(List<Call> calls, Map<DeviceBuffer, Call> constants) {
    }

    private ConstantFills() {
    }

    static Result hoist(List<Call> calls, Set<DeviceBuffer> temporaries) {
        Map<DeviceBuffer, Call> fills = new IdentityHashMap<>();
        Set<DeviceBuffer> writtenElsewhere = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<DeviceBuffer> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Call c : calls) {
            DeviceBuffer first = c.spans.length == 0 ? null : c.spans[0].buffer();
            boolean fill = c instanceof Calls.Fill && temporaries.contains(first) && !touched.contains(first);
            if (fill && fills.putIfAbsent(first, c) == null) {   // the buffer's first use
                touched.add(first);
                continue;
            }
            for (int i = 0; i < c.spans.length; i++) {
                touched.add(c.spans[i].buffer());
                if (c.access[i] != Call.Access.READ) {
                    writtenElsewhere.add(c.spans[i].buffer());
                }
            }
        }
        Map<DeviceBuffer, Call> constants = new IdentityHashMap<>();
        fills.forEach((b, f) -> {
            if (!writtenElsewhere.contains(b)) {
                constants.put(b, f);
            }
        });
        List<Call> left = new ArrayList<>(calls.size());
        for (Call c : calls) {
            if (!(c instanceof Calls.Fill && constants.get(c.spans[0].buffer()) == c)) {
                left.add(c);
            }
        }
        return new Result(left, constants);
    }
}
