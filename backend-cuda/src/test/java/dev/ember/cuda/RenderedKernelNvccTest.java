package dev.ember.cuda;

import dev.ember.core.DType;
import dev.ember.core.conformance.ExpressionConformance;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.UnaryOp;
import dev.ember.gpu.ExpressionSource;
import dev.ember.gpu.KernelSources;
import dev.ember.gpu.KernelSources.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CUDA flavour of the fused-expression renderer, checked on every build with the machine's nvcc
 * and the very options NVRTC gets ({@link CudaCompileOptions}): each representative expression must
 * compile for F32 and F64, and its PTX entry must take the parameters the launch passes
 * ({@link ExpressionSource}: {@code rows, cols}, four per input, two per output, one per value).
 * Without nvcc the test skips, or fails when {@code -Dember.requireTools} names nvcc. Where NVRTC is
 * present (a GPU machine) the same programs go through it too, as the backend will compile them.
 */
class RenderedKernelNvccTest {
    private static final Nvrtc NVRTC = Nvrtc.load();

    @TempDir
    Path temp;

    /** Each expression shape the tracer fuses, and every primitive at least once. */
    static Map<String, Expression> expressions() {
        Map<String, Expression> all = new LinkedHashMap<>();
        Expression.Builder biasRelu = Expression.builder(2);   // at run time input 1 is a row: stride (0, 1)
        all.put("bias_relu", biasRelu.build(biasRelu.unary(UnaryOp.MAX_SCALAR, 0,
                biasRelu.binary(BinaryOp.ADD, biasRelu.input(0), biasRelu.input(1)))));

        Expression.Builder sigmoid = Expression.builder(1);
        all.put("sigmoid", sigmoid.build(sigmoid.unary(UnaryOp.RECIPROCAL, 0, sigmoid.unary(UnaryOp.ADD_SCALAR, 1,
                sigmoid.unary(UnaryOp.EXP, 0, sigmoid.unary(UnaryOp.NEG, 0, sigmoid.input(0)))))));

        Expression.Builder reluBackward = Expression.builder(2);   // inputs: the forward input, the gradient
        all.put("relu_backward", reluBackward.build(reluBackward.binary(BinaryOp.MUL,
                reluBackward.binary(BinaryOp.GREATER, reluBackward.input(0), reluBackward.constant(0)),
                reluBackward.input(1))));

        all.put("adam", adam());

        Expression.Builder constant = Expression.builder(0);
        all.put("constant", constant.build(constant.constant(2.5)));

        all.put("dense_tail", ExpressionConformance.denseTail());
        all.put("every_op", everyOp());
        return all;
    }

    /** Parameter, gradient, first and second moments in; the three updated out. */
    private static Expression adam() {
        Expression.Builder e = Expression.builder(4);
        int p = e.input(0);
        int g = e.input(1);
        int m = e.binary(BinaryOp.ADD, e.unary(UnaryOp.MUL_SCALAR, 0.9, e.input(2)),
                e.unary(UnaryOp.MUL_SCALAR, 0.1, g));
        int v = e.binary(BinaryOp.ADD, e.unary(UnaryOp.MUL_SCALAR, 0.999, e.input(3)),
                e.unary(UnaryOp.MUL_SCALAR, 0.001, e.unary(UnaryOp.SQUARE, 0, g)));
        int step = e.binary(BinaryOp.DIV, e.unary(UnaryOp.MUL_SCALAR, 1e-3, m),
                e.unary(UnaryOp.ADD_SCALAR, 1e-8, e.unary(UnaryOp.SQRT, 0, v)));
        return e.build(e.binary(BinaryOp.SUB, p, step), m, v);
    }

    /** Every unary op in a chain, then every binary op against a second input. */
    private static Expression everyOp() {
        Expression.Builder e = Expression.builder(2);
        int node = e.input(0);
        for (UnaryOp op : UnaryOp.values()) {
            node = e.unary(op, 0.5, node);
        }
        int other = e.input(1);
        for (BinaryOp op : BinaryOp.values()) {
            node = e.binary(op, node, other);
        }
        return e.build(node);
    }

    static Stream<Arguments> cases() {
        return expressions().entrySet().stream()
                .flatMap(x -> Stream.of(DType.values()).map(dt -> Arguments.of(x.getKey(), dt, x.getValue())));
    }

    @Test
    void theRepresentativeSetUsesEveryPrimitive() {
        List<Enum<?>> used = new ArrayList<>();
        for (Expression e : expressions().values()) {
            for (int node = 0; node < e.size(); node++) {
                switch (e.kind(node)) {
                    case UNARY -> used.add(e.unaryOp(node));
                    case BINARY -> used.add(e.binaryOp(node));
                    default -> { }
                }
            }
        }
        assertThat(used).contains(UnaryOp.values()).contains(BinaryOp.values());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void nvccCompilesTheRenderedKernelWithNvrtcsOptions(String name, DType dtype, Expression expression)
            throws IOException {
        List<Path> toolkit = new ArrayList<>();
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            toolkit.add(Path.of(cudaHome.trim(), "bin"));
        }
        toolkit.add(Path.of("/usr/local/cuda/bin"));
        Path nvcc = Tools.require("nvcc", toolkit);

        Path source = Files.writeString(temp.resolve(name + "_" + dtype + ".cu"), program(expression));
        Path ptx = temp.resolve(name + "_" + dtype + ".ptx");
        List<String> command = new ArrayList<>(List.of(nvcc.toString(), "-ptx"));
        command.addAll(CudaCompileOptions.options(dtype));
        command.addAll(List.of("-o", ptx.toString(), source.toString()));
        Tools.Run run = Tools.run(command);

        assertThat(run.exitCode()).as("%s\n%s", String.join(" ", command), run.output()).isZero();
        assertTakesTheLaunchsParameters(Files.readString(ptx), dtype, expression);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void nvrtcCompilesTheRenderedKernelWhereItIsPresent(String name, DType dtype, Expression expression) {
        if (!NVRTC.available()) {
            Tools.failIfRequired("nvrtc", NVRTC.reason());
            assertThat(NVRTC.reason()).contains("libnvrtc");
            return;
        }
        String ptx = NVRTC.compile(program(expression), name + "_" + dtype + ".cu", CudaCompileOptions.options(dtype));
        assertTakesTheLaunchsParameters(ptx, dtype, expression);
    }

    /** The whole program the backend compiles for an expression: header, element-wise prelude, kernel. */
    private static String program(Expression expression) {
        return KernelSources.program(Dialect.CUDA, KernelSources.EXPRESSION_PRELUDE)
                + ExpressionSource.render(expression);
    }

    private static void assertTakesTheLaunchsParameters(String ptx, DType dtype, Expression expression) {
        List<String> parameters = entryParameters(ptx);
        int values = (int) IntStream.range(0, expression.size())
                .filter(node -> ExpressionSource.hasValue(expression, node)).count();
        assertThat(parameters).as("parameters of %s for %s", ExpressionSource.KERNEL, expression)
                .hasSize(2 + 4 * expression.inputs() + 2 * expression.outputs() + values);
        String real = dtype == DType.F32 ? ".f32" : ".f64";
        assertThat(parameters.stream().filter(p -> p.contains(".param " + real + " "))).as("real-valued parameters")
                .hasSize(values);
        assertThat(parameters.stream().filter(p -> p.contains(".param .u64 "))).as("pointers")
                .hasSize(expression.inputs() + expression.outputs());
    }

    @Test
    void nvrtcAndNvccGetTheArchitectureTheElementTypeAndNoContraction() {
        assertThat(CudaCompileOptions.options(DType.F32)).containsExactly("-arch=compute_75", "--fmad=false",
                "-DREAL=float");
        assertThat(CudaCompileOptions.options(DType.F64)).containsExactly("-arch=compute_75", "--fmad=false",
                "-DREAL=double", "-DEMBER_F64");
    }

    /** The {@code .param} lines of the expression kernel's {@code .entry}. */
    private static List<String> entryParameters(String ptx) {
        List<String> lines = ptx.lines().toList();
        int entry = IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).contains(".entry " + ExpressionSource.KERNEL + "("))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no .entry " + ExpressionSource.KERNEL + " in:\n" + ptx));
        List<String> parameters = new ArrayList<>();
        for (int i = entry + 1; i < lines.size() && !lines.get(i).strip().startsWith(")"); i++) {
            if (lines.get(i).contains(".param")) {
                parameters.add(lines.get(i).strip());
            }
        }
        return parameters;
    }
}
