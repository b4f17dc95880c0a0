package dev.aicost.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts OTLP protobuf values into plain, immutable Java values. */
final class OtlpValues {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private OtlpValues() {}

  /** Lower-case hex of an id; {@code ""} for an empty (absent) id. */
  static String hex(ByteString bytes) {
    char[] out = new char[bytes.size() * 2];
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(out);
  }

  /** Attributes as an unmodifiable, insertion-ordered map of typed values (see {@link #value(AnyValue)}). */
  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) {
      map.put(kv.getKey(), value(kv.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * {@code String}, {@code Long}, {@code Double}, {@code Boolean}, an unmodifiable {@code List<Object>} (array), an
   * unmodifiable {@code Map<String,Object>} (kvlist), a {@code byte[]} copy (bytes), or null (empty value).
   */
  static Object value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case ARRAY_VALUE: {
        List<Object> list = new ArrayList<>(value.getArrayValue().getValuesCount());
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          list.add(value(element));
        }
        return Collections.unmodifiableList(list);
      }
      case KVLIST_VALUE:
        return attributes(value.getKvlistValue().getValuesList());
      case BYTES_VALUE:
        return value.getBytesValue().toByteArray();
      default:
        return null;
    }
  }
}
