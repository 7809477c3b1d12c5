package dev.ember.cli.lab;

/** One lesson of {@code ember lab}: runs its variants and reports them. */
public interface Experiment {
    /** The name on the command line ({@code init}, {@code regularization}, ...). */
    String name();

    /** One line for the help and the table heading. */
    String description();

    ExperimentResult run(LabContext context);

    /**
     * What the experiment needs of Fashion-MNIST when run at {@code scale}, or null when it uses none:
     * {@code ember lab} checks it against the files' headers before the first experiment runs.
     */
    default LabData.FashionNeeds fashionNeeds(double scale) {
        return null;
    }

    /** The table printed on stderr after the run (default: one row per variant with its accuracies and cost). */
    default String table(ExperimentResult result) {
        return LabCommand.table(result);
    }
}
