package dev.aicost.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming tree reader gives the tree the ObjectMapper gave, and the same errors. */
class CatalogJsonTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  void everyBundledFileReadsToTheMappersTree() throws Exception {
    List<String> files = new ArrayList<>();
    files.add("index.json");
    for (JsonNode f : MAPPER.readTree(resource("index.json")).get("files")) {
      files.add(f.asText());
    }
    assertTrue(files.size() > 10, "index lists the provider files: " + files);
    for (String f : files) {
      String json = resource(f);
      JsonNode expected = MAPPER.readTree(json);
      JsonNode actual = CatalogJson.read(json, f);
      assertEquals(expected, actual, f);
      assertEquals(expected.toString(), actual.toString(), f + ": decimals read as the mapper reads them");
    }
  }

  @Test
  void numbersKeepTheirKindAndValue() throws Exception {
    String json = "{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":0.150,\"e\":2.5E-7,"
        + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"x\",{}]}";
    JsonNode expected = MAPPER.readTree(json);
    JsonNode actual = CatalogJson.read(json, "inline");
    assertEquals(expected, actual);
    assertEquals(expected.toString(), actual.toString());
    assertEquals("0.15", actual.get("d").decimalValue().toPlainString());
    assertTrue(actual.get("l").isLong() && actual.get("b").isBigInteger() && actual.get("i").isInt());
  }

  @Test
  void emptyDocumentIsMissingAsWithTheMapper() throws Exception {
    assertEquals(MAPPER.readTree(""), CatalogJson.read("", "empty"));
    assertTrue(CatalogJson.read("  ", "blank").isMissingNode());
  }

  @Test
  void duplicateKeysAreRejectedWithTheirLine() {
    CatalogValidationException e =
        assertThrows(CatalogValidationException.class, () -> CatalogJson.read("{\n\"a\": 1,\n\"a\": 2}", "dup.json"));
    assertTrue(e.errors().get(0).startsWith("line 3, column "), e.errors().toString());
    assertTrue(e.errors().get(0).contains("Duplicate field 'a'"), e.errors().toString());
  }

  @Test
  void trailingContentIsRejected() {
    CatalogValidationException e =
        assertThrows(CatalogValidationException.class, () -> CatalogJson.read("{\"a\": 1}\n{\"b\": 2}", "two.json"));
    assertTrue(e.errors().get(0).startsWith("line 2, column 1: not valid: Trailing token"), e.errors().toString());
  }

  @Test
  void malformedJsonIsReportedWithItsPosition() {
    CatalogValidationException e =
        assertThrows(CatalogValidationException.class, () -> CatalogJson.read("{\"a\": [1, 2}", "bad.json"));
    assertTrue(e.errors().get(0).startsWith("line 1, column 12: not valid: Unexpected close marker '}'"),
        e.errors().toString());
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = CatalogJsonTest.class.getClassLoader()
        .getResourceAsStream("dev/aicost/pricing/catalog/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
