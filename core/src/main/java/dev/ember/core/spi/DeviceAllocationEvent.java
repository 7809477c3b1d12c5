package dev.ember.core.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event {@code dev.ember.DeviceAllocation}: a backend allocated a device buffer. Emitted by
 * {@link BufferAccounting}, so every backend that keeps its counters there reports it; with stack
 * traces on (the default) it says who allocated.
 */
@Name("dev.ember.DeviceAllocation")
@Label("Device Allocation")
@Category({"Ember", "Device Memory"})
@Description("A backend allocated a device buffer")
final class DeviceAllocationEvent extends DeviceMemoryEvent {
    /** isEnabled reads only the event type's setting, so one instance answers for every thread. */
    private static final DeviceAllocationEvent PROBE = new DeviceAllocationEvent();

    /** Commits one event when a recording wants it; allocates nothing otherwise. */
    static void emit(String backend, long bytes, long liveBytes, long liveBuffers) {
        if (PROBE.isEnabled()) {
            new DeviceAllocationEvent().commit(backend, bytes, liveBytes, liveBuffers);
        }
    }
}
