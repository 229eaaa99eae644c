package dev.forwardauth.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a number key accepts, on its record component. Every number key has one, and every value in it
 * must work at run time: a check that accepts 9223372036854775807 seconds only moves the failure to the
 * first login (an Instant that overflows). The structure check reads it, so a number is checked once, from its
 * text, whatever its size; the docs test checks that configuration.md states the same range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
@interface Limits {
    long min();

    long max();

    /** The unit a message names after the range, e.g. "seconds"; empty for a count. */
    String unit() default "";
}
