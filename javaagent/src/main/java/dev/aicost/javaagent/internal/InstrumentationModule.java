package dev.aicost.javaagent.internal;

import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.Advice.OffsetMapping.Factory.AdviceType;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Everything the agent needs to instrument one library: which class loaders hold it, which types and methods to
 * advise, and which helper classes to inject next to the library. One module per library, in its own package
 * under {@code dev.aicost.javaagent.instrumentation}.
 */
public abstract class InstrumentationModule {

  private final String name;

  protected InstrumentationModule(String name) {
    this.name = name;
  }

  /** Short name, used in logs and in the setting {@code aicost.instrumentation.<name>.enabled}. */
  public final String name() {
    return name;
  }

  /** What the module instruments, for the log line that disables it (e.g. "openai-java 1.1+"). */
  public abstract String description();

  /** Classes whose presence in a class loader means the library is there; checked without loading them. */
  public abstract List<String> landmarkClasses();

  /**
   * Classes of this module that are defined in the library's class loader (they use the library's types). Their
   * references, and those of the advice, are checked against the library before anything is applied.
   */
  public List<String> helperClasses() {
    return Collections.emptyList();
  }

  /**
   * Library methods that the advice must be woven into for the module to meter every call, as
   * {@code class#method} (any descriptor). A version that lacks one routes those calls elsewhere, where they would go
   * unmetered or unattributed: the module is then disabled for that class loader with the same one log line as any
   * other reference mismatch.
   */
  public List<String> requiredMethods() {
    return Collections.emptyList();
  }

  /**
   * The types to advise and the advice. Built when the module first weaves a class (Byte Buddy's matchers load with
   * it), never on a start whose weaves all come from the weave cache; {@link #typeNames} and
   * {@link #selectingAnnotations} say what it selects without building it.
   */
  public abstract List<TypeInstrumentation> typeInstrumentations();

  /**
   * The binary names of the types {@link #typeInstrumentations} names, declared without building it: all that
   * premain needs ({@code AgentInternalsTest} checks that the two agree for every module).
   */
  public abstract Set<String> typeNames();

  /**
   * The annotations (binary names) whose mention in a class file selects it for {@link #typeInstrumentations}; none
   * unless a module selects types that way. Declared as {@link #typeNames} is.
   */
  public Set<String> selectingAnnotations() {
    return Collections.emptySet();
  }

  /**
   * JDK classes (bootstrap class loader) this module instruments, by name. The agent otherwise ignores the JDK; these
   * exact classes are let through (and retransformed when already loaded). A JDK module injects no helpers: its
   * advice may use only the JDK and {@code dev.aicost.bootstrap}, which {@code java.base} is made to read.
   */
  public List<String> jdkTypes() {
    return Collections.emptyList();
  }

  /**
   * Whether the helper classes are compiled against {@code io.opentelemetry.api} to use the <em>application's</em>
   * OpenTelemetry. The agent jar relocates its own copy under {@code dev.aicost.shaded}; such helpers are mapped back
   * to the application's package names when they are checked and injected.
   */
  public boolean helpersUseApplicationOpenTelemetry() {
    return false;
  }

  /** Called once per class loader, after the helpers were injected there (e.g. to register them). Must not throw. */
  public void onApplied(ClassLoader loader) {}

  /**
   * Whether the agent may weave this module's classes of the system class loader ahead of their loading, which also
   * checks the library and injects the helpers then. A module whose application is an event in itself (see
   * {@link #onApplied}) says no: it is applied when the application loads the class.
   */
  public boolean weavesAhead() {
    return true;
  }

  /**
   * Lets a module bind custom advice parameters (e.g. values read from annotations at transform time); an override
   * starts from this one, which binds {@link MethodName}.
   */
  public Advice.WithCustomMapping customMapping() {
    return Advice.withCustomMapping().bind(stringConstant(MethodName.class, (type, method) -> method.getInternalName()));
  }

  /**
   * Binds advice parameters annotated with {@code annotation} to a string computed at transform time from the
   * instrumented type and method, written into the woven code as a constant.
   */
  protected static <A extends Annotation> Advice.OffsetMapping.Factory<A> stringConstant(
      Class<A> annotation, BiFunction<TypeDescription, MethodDescription, String> value) {
    return new Advice.OffsetMapping.Factory<A>() {
      @Override
      public Class<A> getAnnotationType() {
        return annotation;
      }

      @Override
      public Advice.OffsetMapping make(
          ParameterDescription.InDefinedShape target,
          AnnotationDescription.Loadable<A> annotationValue,
          AdviceType adviceType) {
        return (instrumentedType, instrumentedMethod, assigner, argumentHandler, sort) ->
            new Advice.OffsetMapping.Target.ForStackManipulation(
                new TextConstant(value.apply(instrumentedType, instrumentedMethod)));
      }
    };
  }

  /**
   * Types to advise and the advice for their methods. The types are named up front (or, for annotation-driven
   * instrumentation, by the annotations their class files mention) so that the agent can let every other class pass
   * with one hash lookup, without Byte Buddy ever seeing it (docs/performance.md#start-up).
   */
  public static final class TypeInstrumentation {
    private final Set<String> typeNames;
    private final List<String> annotationNames;
    private final ElementMatcher<TypeDescription> typeMatcher;
    private final List<MethodAdvice> advice;
    private final List<VisitorFactory> visitors;

    /** Advises exactly the types of these binary names. */
    public TypeInstrumentation(Collection<String> typeNames, List<MethodAdvice> advice) {
      this(typeNames, advice, Collections.<VisitorFactory>emptyList());
    }

    public TypeInstrumentation(Collection<String> typeNames, List<MethodAdvice> advice, List<VisitorFactory> visitors) {
      this(
          Collections.unmodifiableSet(new LinkedHashSet<>(typeNames)),
          null,
          ElementMatchers.namedOneOf(typeNames.toArray(new String[0])),
          advice,
          visitors);
    }

    private TypeInstrumentation(
        Set<String> typeNames,
        List<String> annotationNames,
        ElementMatcher<TypeDescription> typeMatcher,
        List<MethodAdvice> advice,
        List<VisitorFactory> visitors) {
      this.typeNames = typeNames;
      this.annotationNames = annotationNames;
      this.typeMatcher = typeMatcher;
      this.advice = advice;
      this.visitors = visitors;
    }

    /**
     * Advises the types whose class file mentions one of these annotations (by binary name) and that {@code matcher}
     * then selects. Only class loaders that can see the first annotation are considered.
     */
    public static TypeInstrumentation annotatedWith(
        List<String> annotationNames, ElementMatcher<TypeDescription> matcher, List<MethodAdvice> advice) {
      return new TypeInstrumentation(
          null, Collections.unmodifiableList(annotationNames), matcher, advice, Collections.<VisitorFactory>emptyList());
    }

    /** The same types, narrowed further by {@code refinement} (e.g. by the methods a version declares). */
    public TypeInstrumentation refinedBy(ElementMatcher<? super TypeDescription> refinement) {
      return new TypeInstrumentation(
          typeNames,
          annotationNames,
          new ElementMatcher.Junction.Conjunction<TypeDescription>(typeMatcher, refinement),
          advice,
          visitors);
    }

    /** The binary names of the types this may change; {@code null} when types are selected by their annotations. */
    public Set<String> typeNames() {
      return typeNames;
    }

    /** The annotations (binary names) whose mention in a class file makes it a candidate; empty for named types. */
    public List<String> annotationNames() {
      return annotationNames == null ? Collections.<String>emptyList() : annotationNames;
    }

    /** Other bytecode changes than advice (e.g. an ASM visitor that rewrites one call). */
    public List<VisitorFactory> visitors() {
      return visitors;
    }

    /** The exact selection, evaluated by Byte Buddy on the candidates only. */
    public ElementMatcher<TypeDescription> typeMatcher() {
      return typeMatcher;
    }

    public List<MethodAdvice> advice() {
      return advice;
    }
  }

  /** Makes a visitor for a type; {@code agentTypes} describes the agent's own classes (bootstrap bridge included). */
  public interface VisitorFactory {
    AsmVisitorWrapper make(TypePool agentTypes);
  }

  /** Methods and the advice class (by name: advice is read as bytes, never loaded by the agent) applied to them. */
  public static final class MethodAdvice {
    private final ElementMatcher<? super MethodDescription> methods;
    private final String adviceClass;

    public MethodAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClass) {
      this.methods = methods;
      this.adviceClass = adviceClass;
    }

    public ElementMatcher<? super MethodDescription> methods() {
      return methods;
    }

    public String adviceClass() {
      return adviceClass;
    }
  }
}
