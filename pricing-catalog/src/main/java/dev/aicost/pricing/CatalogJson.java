package dev.aicost.pricing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;

/** Reads catalog documents into trees: decimals kept exact, duplicate keys rejected. */
final class CatalogJson {

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private CatalogJson() {}

  static JsonNode read(String content, String origin) {
    try {
      return MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw syntaxError(e, origin);
    }
  }

  static CatalogValidationException syntaxError(JsonProcessingException e, String origin) {
    JsonLocation l = e.getLocation();
    String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
    return new CatalogValidationException(
        origin, Collections.singletonList(where + "not valid: " + e.getOriginalMessage()));
  }
}
