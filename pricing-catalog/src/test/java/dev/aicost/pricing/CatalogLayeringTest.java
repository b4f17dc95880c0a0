package dev.aicost.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** A user catalog layered over the bundled one: added models, replaced prices, discounts. */
class CatalogLayeringTest {

  private static final PricingContext CTX = PricingContext.DEFAULT.withDate(LocalDate.of(2026, 11, 28));

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(CostBreakdown.SCALE);
  }

  private static PricingCatalog user(String json) {
    return PricingCatalog.parse(json, "user.json");
  }

  @Test
  void userModelsAreAddedAndReplaceBundledPricesInheritingOmittedFields() {
    PricingCatalog overlay =
        user(
            """
            {"schema_version": 1, "catalog_version": "acme-3", "models": [
              {"provider": "openai", "id": "gpt-4o", "prices": [
                {"effective_from": "2026-01-01", "source": "acme contract", "input": "2", "output": "8"}]},
              {"provider": "openai", "id": "acme-router", "aliases": ["acme-router-v2"], "prices": [
                {"effective_from": "2026-01-01", "source": "internal", "input": "0.5", "output": "1"}]},
              {"provider": "openai", "id": "gpt-4o-mini-2024-07-18", "prices": [
                {"effective_from": "2024-07-18", "source": "acme contract", "input": "0.1", "output": "0.4"}]}
            ]}
            """);
    PricingCatalog layered = PricingCatalog.bundled().layer(overlay);
    assertThat(layered.catalogVersion()).isEqualTo("2026.11.28+acme-3");
    CostCalculator calc = CostCalculator.of(layered);

    // Replaced prices: 1M x 2 + 100K x 8 = 2.8. No cache price any more: cache reads at the input rate.
    CostBreakdown b =
        calc.price("openai", "gpt-4o", Usage.builder().input(1_000_000).cacheRead(500_000).output(100_000).build(), CTX);
    assertThat(b.total()).isEqualTo(usd("2.8"));
    ModelEntry replaced = layered.model("openai", "gpt-4o");
    assertThat(replaced.prices()).hasSize(1);
    assertThat(replaced.note()).isEqualTo(PricingCatalog.bundled().model("openai", "gpt-4o").note());
    // The bundled history is replaced too: 2025 calls are now unpriced.
    assertThat(
            calc.price("openai", "gpt-4o", Usage.of(1, 1), CTX.withDate(LocalDate.of(2025, 1, 1))).unpricedReason())
        .isEqualTo(UnpricedReason.NO_PRICE_FOR_DATE);

    // Added model and its alias.
    assertThat(calc.price("openai", "acme-router-v2", Usage.of(1_000_000, 1_000_000), CTX).total())
        .isEqualTo(usd("1.5"));

    // A user id equal to a bundled alias takes the alias over; the base keeps its other names.
    assertThat(calc.resolve("openai", "gpt-4o-mini-2024-07-18").entry().id()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(calc.price("openai", "gpt-4o-mini-2024-07-18", Usage.of(1_000_000, 0), CTX).total())
        .isEqualTo(usd("0.1"));
    assertThat(layered.model("openai", "gpt-4o-mini").aliases()).doesNotContain("gpt-4o-mini-2024-07-18");
    assertThat(calc.price("openai", "gpt-4o-mini", Usage.of(1_000_000, 0), CTX).total()).isEqualTo(usd("0.15"));
    // Untouched bundled models are unchanged.
    assertThat(calc.price("openai", "o3", Usage.of(1_000_000, 0), CTX).total()).isEqualTo(usd("2"));
  }

  @Test
  void discountsMostSpecificWinsAndNeverCompound() {
    PricingCatalog overlay =
        user(
            """
            {"schema_version": 1, "catalog_version": "acme-3", "models": [], "discounts": [
              {"provider": "openai", "percent": "10"},
              {"provider": "openai", "pattern": "gpt-5.*", "percent": "20"},
              {"provider": "openai", "model": "gpt-5-mini-2025-08-07", "percent": "15", "note": "commit 2026"}
            ]}
            """);
    CostCalculator calc = CostCalculator.of(PricingCatalog.bundled().layer(overlay));
    Usage u = Usage.of(1_000_000, 100_000);
    // gpt-4o (provider-wide 10%): (2.5 + 1) x 0.9 = 3.15.
    assertThat(calc.price("openai", "gpt-4o", u, CTX).total()).isEqualTo(usd("3.15"));
    // gpt-5 (pattern 20%): (1.25 + 1) x 0.8 = 1.8.
    assertThat(calc.price("openai", "gpt-5", u, CTX).total()).isEqualTo(usd("1.8"));
    // gpt-5-mini selected by its dated alias (model 15%): (0.25 + 0.2) x 0.85 = 0.3825.
    CostBreakdown mini = calc.price("openai", "gpt-5-mini", u, CTX);
    assertThat(mini.total()).isEqualTo(usd("0.3825"));
    assertThat(mini.amount(CostComponent.INPUT)).isEqualTo(usd("0.2125"));
    assertThat(calc.discountFor(calc.resolve("openai", "gpt-5-mini").entry()).note()).isEqualTo("commit 2026");
    // Discounts apply per line, rounded half-even to the pico-unit: 1 token of gpt-4o-mini input (0.15 per 1M =
    // 150,000 pico) at 10% off is 135,000 pico exactly; 3 tokens of gpt-5-nano (0.05 = 50,000 pico) at 20% off
    // = 120,000 pico.
    assertThat(calc.price("openai", "gpt-4o-mini", Usage.of(1, 0), CTX).totalPicos()).isEqualTo(135_000L);
    assertThat(calc.price("openai", "gpt-5-nano", Usage.of(3, 0), CTX).totalPicos()).isEqualTo(120_000L);
  }

  @Test
  void discountRoundingAndBigAmounts() {
    // 1/3 off is not a percentage with 4 decimals; 33.3333% of 1 pico-unit lines rounds half-even per line.
    assertThat(Pricer.scale(1, 2, 3)).isEqualTo(1); // 0.666.. -> 1
    assertThat(Pricer.scale(3, 1, 2)).isEqualTo(2); // 1.5 -> 2 (even)
    assertThat(Pricer.scale(5, 1, 2)).isEqualTo(2); // 2.5 -> 2 (even)
    assertThat(Pricer.scale(7, 1, 2)).isEqualTo(4); // 3.5 -> 4 (even)
    // amount x numerator overflows a long: computed exactly through BigDecimal.
    assertThat(Pricer.scale(9_000_000_000_000_000_000L, 999_999, 1_000_000)).isEqualTo(8_999_991_000_000_000_000L);
  }

  @Test
  void layeringConflictsAndDanglingDiscountsAreReportedWithTheirOrigins() {
    PricingCatalog overlay =
        user(
            """
            {"schema_version": 1, "catalog_version": "acme-3", "models": [
              {"provider": "openai", "id": "acme-x", "aliases": ["gpt-4o"], "prices": [
                {"effective_from": "2026-01-01", "source": "s", "input": "1"}]}
            ], "discounts": [{"provider": "openai", "model": "gpt-4q", "percent": "5"}]}
            """);
    CatalogValidationException e =
        catchThrowableOfType(CatalogValidationException.class, () -> PricingCatalog.bundled().layer(overlay));
    int index = PricingCatalog.bundled().models().indexOf(PricingCatalog.bundled().model("openai", "gpt-4o"));
    assertThat(e.errors())
        .containsExactly(
            "user.json models[0].aliases[0]: 'gpt-4o' is already the id of classpath:dev/aicost/pricing/catalog/"
                + "openai.json models[" + index + "] (openai/gpt-4o)");

    PricingCatalog dangling =
        user(
            """
            {"schema_version": 1, "catalog_version": "acme-3", "models": [], "discounts": [
              {"provider": "openai", "model": "gpt-4q", "percent": "5"},
              {"provider": "openai", "pattern": "claude-.*", "percent": "5"},
              {"provider": "mistral", "percent": "5"}]}
            """);
    CatalogValidationException d =
        catchThrowableOfType(CatalogValidationException.class, () -> PricingCatalog.bundled().layer(dangling));
    assertThat(d.errors())
        .containsExactly(
            "discounts[0].model: 'gpt-4q' is not a model of provider openai in this catalog (closest: gpt-4, gpt-4o,"
                + " gpt-4.1)",
            "discounts[1].pattern: matches no model id of provider openai in this catalog",
            "discounts[2].provider: no model of provider 'mistral' in this catalog");
    // The same checks guard a catalog handed to the calculator directly.
    assertThat(catchThrowableOfType(CatalogValidationException.class, () -> CostCalculator.of(dangling)))
        .isNotNull();
  }

  @Test
  void duplicateDiscountSelectorsAndBothModelAndPattern() {
    CatalogValidationException e =
        catchThrowableOfType(
            CatalogValidationException.class,
            () ->
                user(
                    """
                    {"schema_version": 1, "catalog_version": "u", "models": [], "discounts": [
                      {"provider": "openai", "model": "gpt-4o", "percent": "5"},
                      {"provider": "openai", "model": "GPT-4o", "percent": "6"},
                      {"provider": "openai", "model": "gpt-4o", "pattern": "x", "percent": "101"}]}
                    """));
    assertThat(e.errors())
        .containsExactly(
            "discounts[2].pattern: give either model or pattern, not both",
            "discounts[2].percent: must be <= 100, was 101",
            "discounts[1]: duplicate of discounts[0] (openai/gpt-4o)");
  }
}
