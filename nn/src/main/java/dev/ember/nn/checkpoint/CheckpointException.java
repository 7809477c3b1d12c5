package dev.ember.nn.checkpoint;

/**
 * A checkpoint file that breaks a rule of the safetensors format, or that does not fit the model it
 * is loaded into. The message is one line naming the tensor (when one is at fault) and the rule.
 */
public final class CheckpointException extends RuntimeException {
    private final String tensor;
    private final String rule;

    public CheckpointException(String tensor, String rule) {
        super(tensor == null ? rule : "tensor '" + tensor + "': " + rule);
        this.tensor = tensor;
        this.rule = rule;
    }

    /** The same violation, prefixed with where it was found (a file name). */
    CheckpointException in(String where) {
        return new CheckpointException(tensor, rule, where, this);
    }

    private CheckpointException(String tensor, String rule, String where, Throwable cause) {
        super("checkpoint " + where + ": " + (tensor == null ? rule : "tensor '" + tensor + "': " + rule), cause);
        this.tensor = tensor;
        this.rule = rule;
    }

    /** The tensor at fault, or null when the fault is not one tensor's (header length, JSON, metadata). */
    public String tensor() {
        return tensor;
    }

    /** The rule broken, without the tensor's name. */
    public String rule() {
        return rule;
    }
}
