package dev.aicost.javaagent.instrumentation.costcenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionSpec;
import dev.aicost.sdk.CostCenter;
import java.util.Map;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

class CostCenterSpecTest {

  @CostCenter(team = "support", agent = "bot", attributes = {"tenant=acme", "region = eu "})
  static class Annotated {
    @CostCenter(feature = "answer", team = "support-l2")
    void answer() {}

    void inherited() {}
  }

  private static Attribution specOf(String method) {
    TypeDescription type = TypeDescription.ForLoadedType.of(Annotated.class);
    MethodDescription m = type.getDeclaredMethods().filter(ElementMatchers.named(method)).getOnly();
    return AttributionSpec.decode(CostCenterInstrumentationModule.specFor(type, m));
  }

  @Test
  void methodValuesOverrideClassValuesAndCustomKeysAreKept() {
    Attribution a = specOf("answer");
    assertThat(a.team()).isEqualTo("support-l2");
    assertThat(a.feature()).isEqualTo("answer");
    assertThat(a.agent()).isEqualTo("bot");
    assertThat(a.custom()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "region", "eu"));
  }

  @Test
  void classAnnotationAppliesToUnannotatedMethods() {
    Attribution a = specOf("inherited");
    assertThat(a.team()).isEqualTo("support");
    assertThat(a.feature()).isNull();
  }

  @Test
  void matchesAnnotatedMethodsAndMethodsOfAnnotatedClassesOnly() {
    CostCenterInstrumentationModule module = new CostCenterInstrumentationModule();
    var instrumentation = module.typeInstrumentations().get(0);
    assertThat(instrumentation.typeMatcher().matches(TypeDescription.ForLoadedType.of(Annotated.class))).isTrue();
    assertThat(instrumentation.typeMatcher().matches(TypeDescription.ForLoadedType.of(String.class))).isFalse();
  }

  static class WithArguments {
    void bound(int ignored, @dev.aicost.sdk.CostAttribute("customer") String customer,
        @dev.aicost.sdk.CostAttribute("tenant") Object tenant) {}
  }

  @Test
  void argumentBindingsAreReadAtTransformTimeAndAppliedToTheRuntimeValues() {
    TypeDescription type = TypeDescription.ForLoadedType.of(WithArguments.class);
    MethodDescription m = type.getDeclaredMethods().filter(ElementMatchers.named("bound")).getOnly();
    String bindings = CostCenterInstrumentationModule.argumentsFor(m);
    try (dev.aicost.bootstrap.AttributionScope s =
        dev.aicost.bootstrap.AttributionContext.openSpec(
            AttributionSpec.encode(Map.of("team", "t", "customer", "default")), bindings, new Object[] {1, "acme", 42})) {
      Attribution a = dev.aicost.bootstrap.AttributionContext.current();
      assertThat(a.team()).isEqualTo("t");
      assertThat(a.customer()).isEqualTo("acme");
      assertThat(a.custom()).containsEntry("tenant", "42");
    }
    try (dev.aicost.bootstrap.AttributionScope s =
        dev.aicost.bootstrap.AttributionContext.openSpec(
            AttributionSpec.encode(Map.of("customer", "default")), bindings, new Object[] {1, null, null})) {
      assertThat(dev.aicost.bootstrap.AttributionContext.current().customer()).isEqualTo("default");
    }
  }
}
