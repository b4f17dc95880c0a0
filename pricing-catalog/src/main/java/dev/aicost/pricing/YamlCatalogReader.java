package dev.aicost.pricing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads YAML user catalogs. Kept apart so that jackson-dataformat-yaml (an optional dependency) is only loaded when a
 * YAML file is actually read.
 */
final class YamlCatalogReader {

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlCatalogReader() {}

  static JsonNode read(String content, String origin) {
    try {
      JsonNode node = MAPPER.readTree(content);
      return node == null ? MAPPER.nullNode() : node;
    } catch (JsonProcessingException e) {
      throw CatalogJson.syntaxError(e, origin);
    }
  }
}
