package dev.ember.cuda;

import jcuda.driver.CUfunction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A launch's arguments are checked against the PTX's parameter types before anything reaches the
 * driver, which would otherwise read whatever bytes it was given (no device needed: the checks come
 * before the launch).
 */
class CudaKernelArgsTest {
    private final CudaKernel kernel = new CudaKernel("ember_test", new CUfunction(), List.of("u32", "f64", "u64", "u32"));

    @Test
    void aRealWhereTheKernelTakesAnIntIsRefused() {
        assertThatThrownBy(() -> kernel.args(null).real(1.5))
                .hasMessage("cuda: kernel ember_test parameter 0 is .u32, the host passes a real");
    }

    @Test
    void anIntWhereTheKernelTakesARealIsRefused() {
        assertThatThrownBy(() -> kernel.args(null).i(3).i(4))
                .hasMessage("cuda: kernel ember_test parameter 1 is .f64, the host passes an int");
    }

    @Test
    void tooFewOrTooManyArgumentsAreRefusedBeforeTheLaunch() {
        assertThatThrownBy(() -> kernel.args(null).i(3).real(2).launch(1, 1, 1, 32, 1, 1, 0))
                .hasMessage("cuda: kernel ember_test takes 4 parameters, the host passed 2");
        CudaKernel small = new CudaKernel("ember_small", new CUfunction(), List.of("u32"));
        assertThatThrownBy(() -> small.args(null).i(1).i(2))
                .hasMessage("cuda: kernel ember_small takes 1 parameters, the host passes more");
    }
}
