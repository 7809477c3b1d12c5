package dev.ember.core.trace;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recorded step made ready to replay: the calls, without the initialisers of state the step
 * created ({@link StateInitialisers}), after fusion and with each optimiser's updates grouped into
 * one call ({@link UpdateGrouping}), constant fills done once ({@link ConstantFills}), over buffers that are allocated once. Temporaries (buffers the step allocated and released) share memory when their live ranges
 * do not overlap; a buffer that relied on being zero when it was allocated is zero-filled where its
 * life begins, since a reused buffer holds the previous step's data. A replay is a loop over
 * prepared calls: no allocation, no validation, no per-operation bookkeeping.
 */
public final class Plan implements AutoCloseable {
    private final String function;
    private final Backend backend;
    private final Call[] calls;
    private final List<DeviceBuffer> owned;
    private final Stats stats;
    private boolean closed;

    /** What planning did, for tests, logs and benchmarks. */
    public record Stats(int recordedCalls, int calls, int fusedCalls, int temporaries, int buffers,
                        long temporaryBytes, long bufferBytes, int zeroFills) {
    }

    private Plan(String function, Backend backend, Call[] calls, List<DeviceBuffer> owned, Stats stats) {
        this.function = function;
        this.backend = backend;
        this.calls = calls;
        this.owned = owned;
        this.stats = stats;
    }

    /**
     * Plans a finished recording. {@code outputs} are the buffers of the function's results: like
     * temporaries they are written afresh by every replay, but they outlive it.
     */
    public static Plan build(Recording recording, Set<DeviceBuffer> outputs) {
        recording.finish();
        Set<DeviceBuffer> traced = recording.allocated();
        Set<DeviceBuffer> temporaries = recording.released();
        List<Call> recorded = recording.calls();
        Set<DeviceBuffer> state = Collections.newSetFromMap(new IdentityHashMap<>());
        for (DeviceBuffer b : traced) {
            if (!temporaries.contains(b) && !outputs.contains(b)) {
                state.add(b);
            }
        }
        List<Call> stepCalls = StateInitialisers.drop(recorded, state);
        ElementwiseFusion.Result fused = ElementwiseFusion.fuse(stepCalls, temporaries);
        ConstantFills.Result hoisted = ConstantFills.hoist(UpdateGrouping.group(fused.calls()), temporaries);
        List<Call> calls = hoisted.calls();
        Set<DeviceBuffer> constants = hoisted.constants().keySet();
        Set<DeviceBuffer> reused = Collections.newSetFromMap(new IdentityHashMap<>());   // temporaries sharing memory
        for (DeviceBuffer b : temporaries) {
            if (!constants.contains(b)) {
                reused.add(b);
            }
        }

        Set<DeviceBuffer> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
        fresh.addAll(reused);
        for (DeviceBuffer b : outputs) {
            if (traced.contains(b)) {
                fresh.add(b);
            }
        }
        List<Call> zeroed = ZeroFill.insert(calls, fresh);
        int zeroFills = zeroed.size() - calls.size();

        BufferAssignment assignment = BufferAssignment.assign(zeroed, reused);
        Call[] ready = new Call[zeroed.size()];
        for (int i = 0; i < ready.length; i++) {
            ready[i] = assignment.remap(zeroed.get(i));
        }
        Backend backend = recording.target();
        for (DeviceBuffer b : reused) {
            if (!assignment.isUsed(b)) {
                backend.free(b);
            }
        }
        hoisted.constants().values().forEach(fill -> fill.run(backend));   // once, for every replay
        List<DeviceBuffer> owned = new ArrayList<>(assignment.buffers());
        owned.addAll(constants);
        Stats stats = new Stats(recorded.size(), ready.length, fused.fusedCalls(), temporaries.size(), owned.size(),
                bytes(temporaries), bytes(owned), zeroFills);
        return new Plan(recording.function(), backend, ready, owned, stats);
    }

    private static long bytes(Iterable<DeviceBuffer> buffers) {
        long n = 0;
        for (DeviceBuffer b : buffers) {
            n += b.bytes();
        }
        return n;
    }

    /** Issues every call of the step (a {@code dev.ember.PlanReplay} JFR event when a recording asks for one). */
    public void replay() {
        if (closed) {
            throw new IllegalStateException("plan: replay after close");
        }
        PlanReplayEvent event = PlanReplayEvent.start();
        for (Call c : calls) {
            c.run(backend);
        }
        if (event != null) {
            event.commit(function, backend.name(), calls.length, stats.bufferBytes());
        }
    }

    /**
     * Where a replay's time goes: each call's median wall time over {@code replays} replays, waiting
     * for the backend after every call (so asynchronous backends are timed too, at a cost).
     */
    public List<Map.Entry<String, Double>> profile(int replays) {
        long[][] nanos = new long[calls.length][replays];
        for (int r = 0; r < replays; r++) {
            for (int i = 0; i < calls.length; i++) {
                long t0 = System.nanoTime();
                calls[i].run(backend);
                backend.synchronize();
                nanos[i][r] = System.nanoTime() - t0;
            }
        }
        List<Map.Entry<String, Double>> out = new ArrayList<>(calls.length);
        for (int i = 0; i < calls.length; i++) {
            java.util.Arrays.sort(nanos[i]);
            out.add(Map.entry(calls[i].describe(), nanos[i][replays / 2] / 1e3));
        }
        return out;
    }

    public Stats stats() {
        return stats;
    }

    /** The calls a replay issues, in order (for tests and {@code toString}). */
    public List<String> callNames() {
        List<String> names = new ArrayList<>(calls.length);
        for (Call c : calls) {
            names.add(c.name());
        }
        return names;
    }

    /** Frees the step's temporaries. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (DeviceBuffer b : owned) {
                backend.free(b);
            }
        }
    }

    static boolean touches(Call c, DeviceBuffer b) {
        for (Span s : c.spans) {
            if (s.buffer() == b) {
                return true;
            }
        }
        return false;
    }
}
