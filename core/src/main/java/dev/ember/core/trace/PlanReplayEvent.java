package dev.ember.core.trace;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.ember.PlanReplay}: one replay of a traced function's plan, timed from the
 * first call issued to the last (on an asynchronous backend, the time to enqueue them). Stack traces
 * are off by default: a replay happens once per step, always from {@code TracedFunction.call}.
 */
@Name("dev.ember.PlanReplay")
@Label("Plan Replay")
@Category({"Ember", "Tracing"})
@Description("A traced function replayed its plan")
@StackTrace(false)
final class PlanReplayEvent extends Event {
    /** isEnabled reads only the event type's setting, so one instance answers for every thread. */
    private static final PlanReplayEvent PROBE = new PlanReplayEvent();

    @Label("Function")
    @Description("The traced function's name")
    private String function;

    @Label("Backend")
    @Description("The backend's name, as Backend.name()")
    private String backend;

    @Label("Calls")
    @Description("Backend calls the replay issued (after fusion, zero fills included)")
    private int calls;

    @Label("Plan Memory")
    @Description("Bytes of the buffers the plan owns for its temporaries")
    @DataAmount
    private long bufferBytes;

    /** A started event when a recording wants replays, else {@code null} (and nothing allocated). */
    static PlanReplayEvent start() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        PlanReplayEvent e = new PlanReplayEvent();
        e.begin();
        return e;
    }

    /** Ends this replay's event and commits it. */
    void commit(String function, String backend, int calls, long bufferBytes) {
        this.function = function;
        this.backend = backend;
        this.calls = calls;
        this.bufferBytes = bufferBytes;
        commit();
    }
}
