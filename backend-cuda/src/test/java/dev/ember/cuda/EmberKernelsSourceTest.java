package dev.ember.cuda;

import dev.ember.gpu.KernelSources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** ember_kernels.cu compiles the same shared kernel files as the OpenCL backend, so the two cannot drift. */
class EmberKernelsSourceTest {
    @Test
    public void includesTheDialectHeaderThenEveryCommonFileThenTheCasts() throws IOException {
        String source = Files.readString(Path.of("src/main/cuda/ember_kernels.cu"));
        List<String> includes = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#include \"([^\"]+)\"$").matcher(source);
        while (m.find()) {
            includes.add(m.group(1));
        }

        List<String> expected = new ArrayList<>();
        expected.add(KernelSources.Dialect.CUDA.header());
        expected.addAll(List.of(KernelSources.COMMON));
        expected.add("cast.cl");
        assertThat(includes).containsExactlyElementsOf(expected);
        assertThat(source).contains("#ifdef EMBER_F64\n#include \"cast.cl\"\n#endif");
    }

    @Test
    public void theSharedKernelsAreBuiltForTheBlockSizeTheBackendLaunches() throws IOException {
        String script = Files.readString(Path.of("src/build/build-ptx.sh"));
        assertThat(script).contains("-DREAL=float -DEMBER_WG=" + CudaCompileOptions.GROUP_SIZE)
                .contains("-DEMBER_F64 -DEMBER_WG=" + CudaCompileOptions.GROUP_SIZE);
    }
}
