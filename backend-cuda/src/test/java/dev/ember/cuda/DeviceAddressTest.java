package dev.ember.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceAddressTest {
    /** A JCuda pointer at a given address, as cuMemAlloc would fill in (the constructor is protected). */
    private static Pointer at(long address) {
        return new Pointer(address) {
        };
    }

    @Test
    void theAddressIsJCudasNativePointerPlusTheViewsOffset() {
        assertThat(DeviceAddress.of(at(0x7f00_0000_1000L))).isEqualTo(0x7f00_0000_1000L);
        assertThat(DeviceAddress.of(at(0x7f00_0000_1000L).withByteOffset(256).withByteOffset(8)))
                .isEqualTo(0x7f00_0000_1108L);
    }

    @Test
    void aFreshDevicePointerIsNullAndItsViewsAreOffsets() {
        CUdeviceptr fresh = new CUdeviceptr();
        assertThat(DeviceAddress.of(fresh)).isZero();
        assertThat(DeviceAddress.of(fresh.withByteOffset(64))).isEqualTo(64);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> DeviceAddress.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device address: pointer is null");
    }
}
