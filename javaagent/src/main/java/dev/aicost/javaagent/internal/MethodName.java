package dev.aicost.javaagent.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an advice parameter that receives the instrumented method's name as a string constant, as
 * {@code @Advice.Origin("#m")} does. Byte Buddy resolves an {@code Origin} string through its generic constant
 * support, whose first use spins nine {@code Proxy} classes at start-up (docs/performance.md#start-up); this binding
 * (see {@link InstrumentationModule#customMapping()}) writes the same constant directly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MethodName {}
