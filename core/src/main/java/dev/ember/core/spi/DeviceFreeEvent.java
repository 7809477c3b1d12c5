package dev.ember.core.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event {@code dev.ember.DeviceFree}: a backend freed a device buffer, because its tensor was
 * closed or because the Cleaner reclaimed it (then the event's thread is the Cleaner's). Emitted by
 * {@link BufferAccounting}.
 */
@Name("dev.ember.DeviceFree")
@Label("Device Free")
@Category({"Ember", "Device Memory"})
@Description("A backend freed a device buffer")
final class DeviceFreeEvent extends DeviceMemoryEvent {
    /** isEnabled reads only the event type's setting, so one instance answers for every thread. */
    private static final DeviceFreeEvent PROBE = new DeviceFreeEvent();

    /** Commits one event when a recording wants it; allocates nothing otherwise. */
    static void emit(String backend, long bytes, long liveBytes, long liveBuffers) {
        if (PROBE.isEnabled()) {
            new DeviceFreeEvent().commit(backend, bytes, liveBytes, liveBuffers);
        }
    }
}
