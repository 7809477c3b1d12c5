package dev.ember.core.spi;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.ember.KernelLaunch}, for backends that launch device kernels: one per launch,
 * timed over the enqueue (an asynchronous backend's kernel may run later). Launches are frequent (thousands
 * a second in training), so, like the JDK's TLAB allocation events, the event is off unless a recording
 * turns it on ({@code dev.ember.KernelLaunch#enabled=true}), and it has no stack trace. A backend
 * brackets the launch so that nothing is allocated when no recording wants the event:
 * <pre>{@code
 * KernelLaunchEvent event = KernelLaunchEvent.start();   // null when not recording
 * enqueue(...);
 * if (event != null) {
 *     event.commit(name(), kernelName, workItems);
 * }
 * }</pre>
 */
@Name("dev.ember.KernelLaunch")
@Label("Kernel Launch")
@Category({"Ember", "Device"})
@Description("A backend enqueued a device kernel")
@Enabled(false)
@StackTrace(false)
public final class KernelLaunchEvent extends Event {
    /** isEnabled reads only the event type's setting, so one instance answers for every thread. */
    private static final KernelLaunchEvent PROBE = new KernelLaunchEvent();

    @Label("Backend")
    @Description("The backend's name, as Backend.name()")
    private String backend;

    @Label("Kernel")
    @Description("The kernel's name")
    private String kernel;

    @Label("Work Items")
    @Description("The launch's global size: work items in all dimensions together")
    private long workItems;

    private KernelLaunchEvent() {
    }

    /** A started event when a recording wants kernel launches, else {@code null} (and nothing allocated). */
    public static KernelLaunchEvent start() {
        if (!PROBE.isEnabled()) {
            return null;
        }
        KernelLaunchEvent e = new KernelLaunchEvent();
        e.begin();
        return e;
    }

    /** Ends this launch's event and commits it. */
    public void commit(String backend, String kernel, long workItems) {
        this.backend = backend;
        this.kernel = kernel;
        this.workItems = workItems;
        commit();
    }
}
