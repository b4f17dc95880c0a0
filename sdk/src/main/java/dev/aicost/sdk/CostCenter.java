package dev.aicost.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attributes all AI spend made while the annotated method runs (on its thread) to a team, feature, agent, customer
 * or experiment. Nested scopes override field by field; blank values leave the outer value in force.
 *
 * <p>The aicost agent applies it to any method, matching the annotation by name; without the agent, use
 * {@link AiCost#attribute()} instead.
 *
 * <pre>{@code
 * @CostCenter(team = "search", feature = "autocomplete")
 * List<String> suggest(String prefix) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CostCenter {

  String team() default "";

  String feature() default "";

  String agent() default "";

  String customer() default "";

  String experiment() default "";

  /** Marks a unit of work whose total cost is reported as one task. */
  String task() default "";

  /** Custom keys as {@code key=value}, exported as {@code aicost.attr.<key>}. */
  String[] attributes() default {};
}
