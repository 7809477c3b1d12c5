package dev.ember.cli.lab;

/** One lesson of {@code ember lab}: runs its variants and reports them. */
public interface Experiment {
    /** The name on the command line ({@code init}, {@code regularization}, ...). */
    String name();

    /** One line for the help and the table heading. */
    String description();

    ExperimentResult run(LabContext context);

    /** The table printed on stderr after the run (default: one row per variant with its accuracies and cost). */
    default String table(ExperimentResult result) {
        return LabCommand.table(result);
    }
}
