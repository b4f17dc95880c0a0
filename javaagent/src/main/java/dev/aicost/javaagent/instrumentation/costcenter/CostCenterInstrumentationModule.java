package dev.aicost.javaagent.instrumentation.costcenter;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasParameters;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.whereAny;

import dev.aicost.bootstrap.AttributionSpec;
import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationValue;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code @CostCenter} on a method (or on its class) opens an attribution scope for the method's duration. The
 * annotation is matched by name, so it works whichever class loader holds the SDK; its values are read when the
 * class is transformed and woven into the method as a constant, so a call costs one cached map lookup.
 */
public final class CostCenterInstrumentationModule extends InstrumentationModule {

  /** The annotation's name, matched by name only. */
  public static final String COST_CENTER = "dev.aicost.sdk.CostCenter";

  /** The parameter annotation whose argument supplies an attribution value, matched by name only. */
  public static final String COST_ATTRIBUTE = "dev.aicost.sdk.CostAttribute";

  private static final String[] FIELDS = {"team", "feature", "agent", "customer", "experiment", "task"};

  public CostCenterInstrumentationModule() {
    super("cost-center");
  }

  @Override
  public String description() {
    return "@" + COST_CENTER;
  }

  @Override
  public List<String> landmarkClasses() {
    return Collections.singletonList(COST_CENTER);
  }

  @Override
  public Set<String> typeNames() {
    return Collections.emptySet();
  }

  @Override
  public Set<String> selectingAnnotations() {
    return new LinkedHashSet<>(Arrays.asList(COST_CENTER, COST_ATTRIBUTE));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    ElementMatcher.Junction<MethodDescription> withArguments =
        hasParameters(whereAny(isAnnotatedWith(named(COST_ATTRIBUTE))));
    ElementMatcher.Junction<MethodDescription> annotated = isAnnotatedWith(named(COST_CENTER)).or(withArguments);
    ElementMatcher.Junction<TypeDescription> annotatedType = isAnnotatedWith(named(COST_CENTER));
    ElementMatcher.Junction<MethodDescription> methods =
        isMethod()
            .and(not(isAbstract()))
            .and(not(isSynthetic()))
            .and(not(isConstructor()))
            .and(not(isTypeInitializer()))
            .and(annotated.or(isDeclaredBy(annotatedType)));
    String p = "dev.aicost.javaagent.instrumentation.costcenter.";
    return Collections.singletonList(
        TypeInstrumentation.annotatedWith(
            Arrays.asList(COST_CENTER, COST_ATTRIBUTE),
            not(isSynthetic()).and(annotatedType.or(declaresMethod(annotated))),
            Arrays.asList(
                new MethodAdvice(methods.and(not(withArguments)), p + "CostCenterAdvice"),
                new MethodAdvice(methods.and(withArguments), p + "CostCenterArgumentsAdvice"))));
  }

  /** {@code @CostAttribute} bindings of a method: key to argument index, encoded. */
  static String argumentsFor(MethodDescription method) {
    Map<String, Integer> bindings = new LinkedHashMap<>();
    for (ParameterDescription p : method.getParameters()) {
      for (AnnotationDescription a : p.getDeclaredAnnotations()) {
        if (a.getAnnotationType().getName().equals(COST_ATTRIBUTE)) {
          String key = stringValue(a, "value");
          if (key != null && !key.trim().isEmpty()) {
            bindings.put(key.trim(), p.getIndex());
          }
        }
      }
    }
    return AttributionSpec.encodeArguments(bindings);
  }

  @Override
  public Advice.WithCustomMapping customMapping() {
    return super.customMapping()
        .bind(stringConstant(CostCenterSpec.class, CostCenterInstrumentationModule::specFor))
        .bind(stringConstant(CostAttributeBindings.class, (type, method) -> argumentsFor(method)));
  }

  /** The spec for a method: the class's {@code @CostCenter} values, overridden by the method's. */
  static String specFor(TypeDescription type, MethodDescription method) {
    Map<String, String> values = new LinkedHashMap<>();
    read(find(type.getDeclaredAnnotations()), values);
    read(find(method.getDeclaredAnnotations()), values);
    return AttributionSpec.encode(values);
  }

  private static AnnotationDescription find(Iterable<AnnotationDescription> annotations) {
    for (AnnotationDescription a : annotations) {
      if (a.getAnnotationType().getName().equals(COST_CENTER)) {
        return a;
      }
    }
    return null;
  }

  private static void read(AnnotationDescription a, Map<String, String> into) {
    if (a == null) {
      return;
    }
    for (String field : FIELDS) {
      String v = stringValue(a, field);
      if (v != null && !v.trim().isEmpty()) {
        into.put(field, v);
      }
    }
    String[] attributes = stringArrayValue(a, "attributes");
    if (attributes != null) {
      for (String pair : attributes) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          into.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
    }
  }

  private static String stringValue(AnnotationDescription a, String name) {
    try {
      AnnotationValue<?, ?> v = a.getValue(name);
      return v == null ? null : v.resolve(String.class);
    } catch (RuntimeException e) {
      return null; // an older SDK without this attribute
    }
  }

  private static String[] stringArrayValue(AnnotationDescription a, String name) {
    try {
      AnnotationValue<?, ?> v = a.getValue(name);
      return v == null ? null : v.resolve(String[].class);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
