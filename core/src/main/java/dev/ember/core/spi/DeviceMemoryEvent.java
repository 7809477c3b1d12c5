package dev.ember.core.spi;

import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields the device-memory JFR events share ({@link DeviceAllocationEvent}, {@link DeviceFreeEvent}).
 * They are package-private, not private: JFR leaves out a superclass's private fields.
 */
abstract class DeviceMemoryEvent extends Event {
    @Label("Backend")
    @Description("The backend's name, as Backend.name()")
    String backend;

    @Label("Size")
    @Description("Bytes of the buffer allocated or freed")
    @DataAmount
    long bytes;

    @Label("Live Size")
    @Description("Bytes the backend holds in live buffers after this event")
    @DataAmount
    long liveBytes;

    @Label("Live Buffers")
    @Description("Buffers the backend holds after this event")
    long liveBuffers;

    /** Fills the fields and commits (the caller checked that recording wants the event). */
    final void commit(String backend, long bytes, long liveBytes, long liveBuffers) {
        this.backend = backend;
        this.bytes = bytes;
        this.liveBytes = liveBytes;
        this.liveBuffers = liveBuffers;
        commit();
    }
}
