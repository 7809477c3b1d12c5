// FirstTensors.java
import dev.ember.core.Scope;
import dev.ember.core.Tensor;

void main() {
    try (Scope _ = Scope.open()) {                      // frees every tensor made inside
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);       // default backend
        Tensor w = Tensor.of(new float[] {.1f, .2f, .3f, .4f, .5f, .6f}, 3, 2);
        Tensor p = x.matmul(w).softmax();               // [2, 2], each row sums to 1
        float[] probabilities = p.toFloatArray();
        IO.println(Arrays.toString(probabilities));
    }
}
