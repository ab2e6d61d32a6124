package io.sqliteasync.examples.docs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static no-argument method that runs the snippets it names, in the working directory of the test run (an
 * empty scratch directory, so relative file names such as {@code "app.db"} are fresh). The snippet text itself is the
 * region between {@code // snippet:NAME} and {@code // end-snippet} comments in the sources of this package.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Snippet {
    /**
     * The names of the snippets this method runs.
     *
     * @return one or more snippet names
     */
    String[] value();
}
