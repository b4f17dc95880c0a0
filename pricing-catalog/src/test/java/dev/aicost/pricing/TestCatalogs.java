package dev.aicost.pricing;

/** Small catalogs written inline for tests. */
final class TestCatalogs {

  private TestCatalogs() {}

  /** A catalog document with the given {@code models} array (JSON text) and version {@code test-1}. */
  static String document(String models) {
    return "{\"schema_version\": 1, \"catalog_version\": \"test-1\", \"models\": " + models + "}";
  }

  static PricingCatalog catalog(String models) {
    return PricingCatalog.parse(document(models), "test.json");
  }

  /** One model entry with one open-ended price set whose body (rates etc.) is {@code priceFields}. */
  static String model(String provider, String id, String extra, String priceFields) {
    return "{\"provider\": \"" + provider + "\", \"id\": \"" + id + "\"" + (extra.isEmpty() ? "" : ", " + extra)
        + ", \"prices\": [{\"effective_from\": \"2025-01-01\", \"source\": \"test\", " + priceFields + "}]}";
  }
}
