// OneThreadBackend.java
import dev.ember.core.Backends;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;

void main() {
    try (Backend oneThread = Backends.open("cpu", Map.of("threads", "1"));
         Scope _ = Scope.open()) {                      // closed first: the tensors go before their backend
        Tensor x = Tensor.of(oneThread, new float[] {1, 2, 3}, 3);
        IO.println(Arrays.toString(x.exp().toFloatArray()));
    }
    // Backends.open("cpu", Map.of("thread", "1")) throws BackendUnavailableException:
    //   backend 'cpu': unknown option thread='1'; valid options: memoryLimit, spinMicros, threads
}
