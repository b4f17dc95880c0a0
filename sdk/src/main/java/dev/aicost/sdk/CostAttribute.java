package dev.aicost.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Takes an attribution value from a method argument: the spend of the call is attributed to the argument's value
 * (its {@code toString()}; {@code null} or blank leaves the field unset). The name is an attribution field
 * ({@code team}, {@code feature}, {@code agent}, {@code customer}, {@code experiment}, {@code task}) or a custom key
 * (exported as {@code aicost.attr.<key>}). It overrides the method's and class's {@code @CostCenter} values.
 *
 * <pre>{@code
 * @CostCenter(feature = "answer-ticket")
 * Answer answer(@CostAttribute("customer") String customerId, Ticket ticket) { ... }
 * }</pre>
 *
 * <p>Applied by the aicost agent (matched by name, like {@link CostCenter}); the method gets a scope even without
 * {@code @CostCenter}. Methods without this annotation pay nothing for it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface CostAttribute {

  /** The attribution field or custom key the argument supplies. */
  String value();
}
