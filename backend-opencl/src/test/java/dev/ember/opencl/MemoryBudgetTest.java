package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.MemoryLimit;
import org.jocl.CL;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests the device cannot back are refused before the driver sees them (PoCL would accept them and
 * abort the process later), with the limit that refused them, and the backend goes on working.
 */
class MemoryBudgetTest {
    private static final long GIB = 1L << 30;

    private static DeviceInfo device(long type, long globalMem, long maxAlloc) {
        return new DeviceInfo(0, null, null, "test platform", "test device", type, 1, 32 << 10, 256,
                globalMem, maxAlloc, true, "OpenCL 3.0");
    }

    @Test
    void oneBufferAboveTheDevicesLargestAllocationIsRefused() {
        MemoryBudget budget = new MemoryBudget(device(CL.CL_DEVICE_TYPE_GPU, 8 * GIB, 2 * GIB), MemoryLimit.NONE);
        budget.check(2 * GIB, 0);
        assertThatThrownBy(() -> budget.check(2 * GIB + 1, 0))
                .isInstanceOf(OutOfDeviceMemoryException.class)
                .hasMessageContaining("asked for " + (2 * GIB + 1) + " bytes")
                .hasMessageContaining(2 * GIB + " bytes (2.0 GiB) free")
                .hasMessageContaining("CL_DEVICE_MAX_MEM_ALLOC_SIZE");
    }

    @Test
    void buffersTogetherAboveTheDevicesGlobalMemoryAreRefused() {
        MemoryBudget budget = new MemoryBudget(device(CL.CL_DEVICE_TYPE_GPU, 8 * GIB, 2 * GIB), MemoryLimit.NONE);
        budget.check(2 * GIB, 6 * GIB);
        assertThatThrownBy(() -> budget.check(2 * GIB, 7 * GIB))
                .isInstanceOf(OutOfDeviceMemoryException.class)
                .hasMessageContaining("asked for " + 2 * GIB + " bytes")
                .hasMessageContaining(GIB + " bytes (1.0 GiB) free")
                .hasMessageContaining("CL_DEVICE_GLOBAL_MEM_SIZE");
    }

    /** A CPU device's buffers are host memory: a request the host cannot give is refused whatever the device claims. */
    @Test
    void onACpuDeviceARequestAboveTheHostsAvailableMemoryIsRefused() {
        OptionalLong host = HostMemory.available();
        assertThat(host).as("Linux reports MemAvailable").isPresent();
        long beyond = host.getAsLong() + GIB;
        MemoryBudget budget = new MemoryBudget(device(CL.CL_DEVICE_TYPE_CPU, 4 * beyond, 4 * beyond),
                MemoryLimit.NONE);
        assertThatThrownBy(() -> budget.check(beyond, 0))
                .isInstanceOf(OutOfDeviceMemoryException.class)
                .hasMessageContaining("asked for " + beyond + " bytes")
                .hasMessageContaining("MemAvailable");
        MemoryBudget gpu = new MemoryBudget(device(CL.CL_DEVICE_TYPE_GPU, 4 * beyond, 4 * beyond), MemoryLimit.NONE);
        gpu.check(beyond, 0);   // a GPU's memory is its own
    }

    @Test
    void meminfoLinesParseToBytes() {
        assertThat(HostMemory.parseKiloBytes("MemAvailable:   24060588 kB")).hasValue(24060588L * 1024);
        assertThat(HostMemory.parseKiloBytes("MemAvailable: lots")).isEmpty();
    }

    /** The real backend, with the device's largest allocation taken as 1 MiB: refused before the driver, and usable after. */
    @Test
    void theBackendRefusesBeforeTheDriverAndStaysUsable() {
        OpenClBackend real = (OpenClBackend) OpenClTestSupport.backend();
        DeviceInfo d = real.deviceInfo();
        DeviceInfo small = new DeviceInfo(d.index(), d.platform(), d.device(), d.platformName(), d.name(), d.type(),
                d.computeUnits(), d.localMemBytes(), d.maxWorkGroupSize(), d.globalMemBytes(), 1 << 20, d.fp64(),
                d.version());
        OpenClBackend be = new OpenClBackend(small);
        try (Scope _ = Scope.open()) {
            assertThatThrownBy(() -> Tensor.zeros(be, DType.F32, (1 << 18) + 1))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("allocate: opencl is out of memory: asked for " + (4 * ((1 << 18) + 1)))
                    .hasMessageContaining("CL_DEVICE_MAX_MEM_ALLOC_SIZE");
            assertThat(be.memory().totalAllocations()).isZero();
            Tensor a = Tensor.of(be, DType.F32, new double[] {1, 2, 3, 4}, 2, 2);
            assertThat(a.matmul(a).toDoubleArray()).containsExactly(7, 10, 15, 22);
            assertThat(Tensor.zeros(be, DType.F32, 1 << 18).size()).isEqualTo(1 << 18);
        } finally {
            be.close();
        }
    }
}
