package dev.aicost.javaagent.instrumentation.otelapi;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.aicost.bootstrap.AppTelemetry;
import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The application's own OpenTelemetry API ({@code io.opentelemetry:opentelemetry-api} 1.0+, any version beside the
 * agent's relocated copy). When a class loader loads {@code io.opentelemetry.context.Context}, the helpers are
 * injected there and registered with {@code AppTelemetry}: aicost spans then take the application's current span as
 * parent, and its {@code aicost.*} baggage is read as inbound attribution (subject to the trust settings). Outgoing
 * requests injected by the application's {@code W3CBaggagePropagator} carry the current aicost attribution.
 */
public final class OpenTelemetryApiInstrumentationModule extends InstrumentationModule {

  /** {@code io.opentelemetry.}, built at run time: the shade plugin would relocate a literal. */
  static final String OTEL = String.join(".", "io", "opentelemetry") + ".";

  static final String CONTEXT = OTEL + "context.Context";
  static final String W3C_BAGGAGE_PROPAGATOR = OTEL + "api.baggage.propagation.W3CBaggagePropagator";
  private static final String P = "dev.aicost.javaagent.instrumentation.otelapi.";
  static final String READER = P + "ApplicationContextReader";

  public OpenTelemetryApiInstrumentationModule() {
    super("opentelemetry-api");
  }

  @Override
  public String description() {
    return OTEL.substring(0, OTEL.length() - 1) + ":opentelemetry-api 1.0+ (the application's own)";
  }

  @Override
  public List<String> landmarkClasses() {
    return Arrays.asList(CONTEXT, OTEL + "api.baggage.Baggage", OTEL + "api.trace.Span");
  }

  @Override
  public List<String> helperClasses() {
    return Arrays.asList(READER, P + "ApplicationBaggageInjection");
  }

  @Override
  public boolean helpersUseApplicationOpenTelemetry() {
    return true;
  }

  @Override
  public boolean weavesAhead() {
    return false; // applying it registers the application's OpenTelemetry: only once the application loads it
  }

  @Override
  public void onApplied(ClassLoader loader) {
    AppTelemetry.register(loader, READER);
  }

  @Override
  public Set<String> typeNames() {
    return new LinkedHashSet<>(Arrays.asList(CONTEXT, W3C_BAGGAGE_PROPAGATOR));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        // Loading Context is the moment the application's API becomes usable: inject and register the reader.
        new TypeInstrumentation(Collections.singleton(CONTEXT), Collections.<MethodAdvice>emptyList()),
        new TypeInstrumentation(
            Collections.singleton(W3C_BAGGAGE_PROPAGATOR),
            Collections.singletonList(
                new MethodAdvice(named("inject").and(takesArguments(3)), P + "BaggageInjectAdvice"))));
  }
}
