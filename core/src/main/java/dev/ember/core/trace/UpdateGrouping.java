package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Merges each run of consecutive Adam updates that share their hyper-parameters (one optimiser's
 * step over all its variables) into one {@link Calls.AdamGroup}, so a backend can update every
 * tensor in one launch. Only runs whose calls touch pairwise different buffers are merged: the
 * updates are then independent, and doing them together is doing them in turn.
 */
final class UpdateGrouping {
    private UpdateGrouping() {
    }

    static List<Call> group(List<Call> calls) {
        List<Call> out = new ArrayList<>(calls.size());
        int i = 0;
        while (i < calls.size()) {
            if (calls.get(i) instanceof Calls.Adam first) {
                List<Calls.Adam> run = new ArrayList<>();
                run.add(first);
                Set<DeviceBuffer> touched = Collections.newSetFromMap(new IdentityHashMap<>());
                addBuffers(first, touched);
                int j = i + 1;
                while (j < calls.size() && calls.get(j) instanceof Calls.Adam next && first.sameSettings(next)
                        && addBuffers(next, touched)) {
                    run.add(next);
                    j++;
                }
                if (run.size() > 1) {
                    out.add(Calls.AdamGroup.of(run));
                    i = j;
                    continue;
                }
            }
            out.add(calls.get(i));
            i++;
        }
        return out;
    }

    /** Adds {@code c}'s buffers to {@code touched}; false, adding none, if it shares one with them. */
    private static boolean addBuffers(Call c, Set<DeviceBuffer> touched) {
        Set<DeviceBuffer> own = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Span s : c.spans) {
            if (touched.contains(s.buffer())) {
                return false;
            }
            own.add(s.buffer());
        }
        touched.addAll(own);
        return true;
    }
}
