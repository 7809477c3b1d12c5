package dev.ember.opencl;

import dev.ember.core.BackendUnavailableException;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Probe;
import dev.ember.core.spi.Span;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.ember.opencl.OpenClTestSupport.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenCL-specific behaviour: error names, device selection, probes, accounting and program caching. */
class OpenClProviderTest {
    @Test
    void errorCodesBecomeNames() {
        backend(); // JOCL loaded (or the test is skipped)
        assertThat(ClErrors.name(CL.CL_OUT_OF_RESOURCES)).isEqualTo("CL_OUT_OF_RESOURCES (-5)");
        assertThat(ClErrors.name(-11)).startsWith("CL_BUILD_PROGRAM_FAILURE");
        assertThat(ClErrors.name(-54)).startsWith("CL_INVALID_WORK_GROUP_SIZE");
        assertThat(ClErrors.name(-98765)).isEqualTo("unknown OpenCL error (-98765)");
        assertThat(ClErrors.wrap("clFinish", new org.jocl.CLException("x", CL.CL_OUT_OF_RESOURCES)))
                .hasMessage("opencl: clFinish failed: CL_OUT_OF_RESOURCES (-5)");
    }

    @Test
    void anUnknownDevicePropertyMakesTheProbeMisconfiguredNotUnavailable() {
        backend();
        String property = BackendOptions.property("opencl", "device");
        assertThat(property).isEqualTo("ember.opencl.device");
        String old = System.getProperty(property);
        System.setProperty(property, "nonexistent");
        try {
            Probe probe = new OpenClProvider().probe();
            assertThat(probe.state()).isEqualTo(Probe.State.MISCONFIGURED);
            assertThat(probe.reason()).startsWith("backend 'opencl': option device='nonexistent' (from"
                            + " -Dember.opencl.device) matches no OpenCL device")
                    .contains("devices: 0: ").endsWith("; valid options: device, memoryLimit");
            System.setProperty(property, "99");
            assertThat(new OpenClProvider().probe().reason()).contains("device='99'");
            // an explicit value replaces the bad default
            try (Backend b = new OpenClProvider().create(Map.of("device", "0"))) {
                assertThat(((OpenClBackend) b).deviceInfo().index()).isZero();
            }
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    @Test
    void theDeviceOptionReachesTheBackendAndABadOneIsAnError() {
        backend();
        assertThat(Backends.options("opencl")).containsExactlyInAnyOrder("device", "memoryLimit");
        try (Backend b = Backends.open("opencl", Map.of("device", "0"))) {
            assertThat(((OpenClBackend) b).deviceInfo().index()).isZero();
            assertThat(b).isNotSameAs(Backends.byName("opencl"));
        }
        assertThatThrownBy(() -> Backends.open("opencl", Map.of("device", "no such device")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("backend 'opencl': option device='no such device' matches no OpenCL device")
                .hasMessageEndingWith("; valid options: device, memoryLimit");
        assertThatThrownBy(() -> Backends.open("opencl", Map.of("threads", "1")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("backend 'opencl': unknown option threads='1'; valid options: device, memoryLimit");
    }

    @Test
    void probeDescribesTheDeviceAndRanksItByType() {
        backend();
        Probe probe = new OpenClProvider().probe();
        assertThat(probe.available()).isTrue();
        DeviceInfo d = OpenClProvider.chooseDevice(Map.of());
        assertThat(probe.device()).contains(d.platformName()).contains(d.name()).contains("compute units")
                .contains("local memory").contains("fp64");
        assertThat(probe.priority()).isEqualTo(d.isGpu() ? 150 : d.isAccelerator() ? 120 : 10);
        // selection by index and by name substring finds the same device
        List<DeviceInfo> all = OpenClDevices.all();
        assertThat(OpenClDevices.select(all, String.valueOf(d.index()))).hasValueSatisfying(
                found -> assertThat(found.name()).isEqualTo(d.name()));
        assertThat(OpenClDevices.select(all, d.name().substring(0, 3).toUpperCase())).hasValueSatisfying(
                found -> assertThat(found.index()).isLessThanOrEqualTo(d.index()));
        assertThat(OpenClDevices.select(all, String.valueOf(all.size()))).isEmpty();
        assertThat(OpenClDevices.select(all, "99999999999999")).isEmpty();
    }

    @Test
    void accountingCountsBuffersAndCopies() throws Exception {
        Backend b = new OpenClProvider().create();
        try {
            backend();
            DeviceBuffer f = b.allocate(DType.F32, 100);
            DeviceBuffer d = b.allocate(DType.F64, 10);
            b.write(Span.of(f), new float[100], 0, 100);
            b.read(Span.of(d), new double[10], 0, 10);
            MemoryStats s = b.memory();
            assertThat(s.liveBuffers()).isEqualTo(2);
            assertThat(s.liveBytes()).isEqualTo(480);
            assertThat(s.hostToDeviceBytes()).isEqualTo(400);
            assertThat(s.deviceToHostBytes()).isEqualTo(80);
            b.free(f);
            CompletableFuture.runAsync(() -> b.free(d)).get(); // as the Cleaner thread would
            assertThat(b.memory().liveBuffers()).isZero();
            assertThat(b.memory().liveBytes()).isZero();
            assertThat(b.memory().totalAllocations()).isEqualTo(2);
        } finally {
            b.close();
        }
    }

    @Test
    void spansPastTheBufferAreRejectedBeforeAnyKernelRuns() {
        Backend b = backend();
        DeviceBuffer buf = b.allocate(DType.F32, 10);
        try {
            assertThatThrownBy(() -> b.fill(new Span(buf, 5), 6, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fill").hasMessageContaining("[5, 11)");
            assertThatThrownBy(() -> b.gemm(false, false, 4, 4, 4, 1, Span.of(buf), 4, Span.of(buf), 4, 0,
                    Span.of(buf), 4)).hasMessageContaining("gemm");
        } finally {
            b.free(buf);
        }
    }

    @Test
    void programsAreBuiltOncePerContext() {
        OpenClBackend first = (OpenClBackend) backend();
        DeviceBuffer buf = first.allocate(DType.F32, 4);
        first.fill(Span.of(buf), 4, 1); // builds the F32 program if needed
        first.free(buf);
        OpenClContext context = OpenClContext.acquire(first.deviceInfo());
        try {
            int before = context.programs().size();
            Backend second = new OpenClProvider().create();
            DeviceBuffer b2 = second.allocate(DType.F32, 4);
            second.fill(Span.of(b2), 4, 2);
            second.free(b2);
            second.close();
            assertThat(context.programs().size()).isEqualTo(before);
        } finally {
            context.release();
        }
    }

    @Test
    void aBrokenKernelReportsTheBuildLog() {
        OpenClBackend b = (OpenClBackend) backend();
        OpenClContext context = OpenClContext.acquire(b.deviceInfo());
        try {
            assertThatThrownBy(() -> context.programs().get("__kernel void broken( { }", "-DREAL=float"))
                    .isInstanceOf(OpenClException.class)
                    .hasMessageContaining("CL_BUILD_PROGRAM_FAILURE")
                    .hasMessageContaining("build log");
        } finally {
            context.release();
        }
    }
}
