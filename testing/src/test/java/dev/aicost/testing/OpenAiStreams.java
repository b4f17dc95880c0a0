package dev.aicost.testing;

import com.openai.core.JsonValue;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.stream.Collectors;
import java.util.Map;

final class OpenAiStreams {
  private OpenAiStreams() {}

  /** {@code sequence_number} of any stream event, read from its JSON form. */
  static long sequenceNumber(ResponseStreamEvent event) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) JsonValue.from(event).convert(Map.class);
    return ((Number) json.get("sequence_number")).longValue();
  }

  /** The concatenated {@code output_text} of a response's message items. */
  static String outputText(Response response) {
    return response.output().stream()
        .filter(item -> item.isMessage())
        .flatMap(item -> item.asMessage().content().stream())
        .filter(content -> content.isOutputText())
        .map(content -> content.asOutputText())
        .map(ResponseOutputText::text)
        .collect(Collectors.joining());
  }

  /** The {@code model} string of a response, whichever variant of the model union openai-java parsed. */
  static String modelName(Response response) {
    com.openai.models.ResponsesModel model = response.model();
    if (model.isString()) {
      return model.asString();
    }
    return model.isChat() ? model.asChat().asString() : model.asOnly().asString();
  }
}
