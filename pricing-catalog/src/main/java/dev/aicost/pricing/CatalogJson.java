package dev.aicost.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;

/**
 * Reads catalog documents into trees: decimals kept exact, duplicate keys rejected, nothing after the document.
 *
 * <p>The tree is built from jackson-core's streaming parser rather than an {@code ObjectMapper}: the mapper's
 * start-up (its serializer, deserializer and type factories, ~350 classes) was a quarter of a second of the agent's
 * start-up for a tree that these thirty lines build (docs/performance.md#start-up). The result is the tree
 * {@code ObjectMapper.readTree} gives with {@code USE_BIG_DECIMAL_FOR_FLOATS}, {@code STRICT_DUPLICATE_DETECTION}
 * and {@code FAIL_ON_TRAILING_TOKENS} ({@code CatalogJsonTest} compares the two on every bundled file).
 */
final class CatalogJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private CatalogJson() {}

  static JsonNode read(String content, String origin) {
    try (JsonParser p = FACTORY.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return MissingNode.getInstance();
      }
      JsonNode root = value(p, first);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new TrailingContent(p, "Trailing token (of type " + trailing + ") found after value");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw syntaxError(e, origin);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + origin, e); // not reached: the input is a string
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        ObjectNode object = NODES.objectNode();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          object.set(name, value(p, p.nextToken()));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          array.add(value(p, v));
        }
        return array;
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        // As the mapper does by default (JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES): 0.150 reads as 0.15.
        return NODES.numberNode(p.getDecimalValue().stripTrailingZeros());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new TrailingContent(p, "Unexpected token " + t);
    }
  }

  static CatalogValidationException syntaxError(JsonProcessingException e, String origin) {
    JsonLocation l = e.getLocation();
    String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
    return new CatalogValidationException(
        origin, Collections.singletonList(where + "not valid: " + e.getOriginalMessage()));
  }

  /** A document that is well-formed JSON but not one value (located like the parser's own errors). */
  private static final class TrailingContent extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    TrailingContent(JsonParser p, String message) {
      super(message, p.currentTokenLocation());
    }
  }
}
