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
}
