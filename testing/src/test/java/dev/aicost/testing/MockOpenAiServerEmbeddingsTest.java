package dev.aicost.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Embeddings against the real openai-java client, which asks for base64 unless told otherwise. */
class MockOpenAiServerEmbeddingsTest {

  private static MockOpenAiServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    server = MockOpenAiServer.start();
    client = OpenAiClients.strict(server);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void clientDefaultsToBase64AndDecodesUnitVectors() {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
        .inputOfArrayOfStrings(List.of("hello world", "a"))
        .build());
    response.validate();

    assertThat(server.lastRequest().json().path("encoding_format").asText()).isEqualTo("base64");
    assertThat(response.model()).isEqualTo("text-embedding-3-small");
    assertThat(response.data()).hasSize(2);
    assertThat(response.data()).extracting(Embedding::index).containsExactly(0L, 1L);
    for (Embedding embedding : response.data()) {
      assertThat(embedding.embeddingValue().isBase64()).isTrue();
      List<Float> vector = embedding.embedding();
      assertThat(vector).hasSize(16);
      double norm = Math.sqrt(vector.stream().mapToDouble(f -> f * f).sum());
      assertThat(norm).isCloseTo(1.0, within(1e-5));
    }
    // ceil(11/4) + max(1, ceil(1/4)) = 3 + 1
    assertThat(response.usage().promptTokens()).isEqualTo(4);
    assertThat(response.usage().totalTokens()).isEqualTo(4);
  }

  @Test
  void floatFormatAndDimensionsAreHonouredAndDeterministic() {
    EmbeddingCreateParams params = EmbeddingCreateParams.builder()
        .model(EmbeddingModel.TEXT_EMBEDDING_3_LARGE)
        .input("same text")
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
        .dimensions(8)
        .build();
    CreateEmbeddingResponse first = client.embeddings().create(params);
    CreateEmbeddingResponse second = client.embeddings().create(params);

    assertThat(server.lastRequest().body()).contains("\"encoding_format\":\"float\"");
    Embedding embedding = first.data().get(0);
    assertThat(embedding.embeddingValue().isFloats()).isTrue();
    assertThat(embedding.embedding()).hasSize(8);
    assertThat(second.data().get(0).embedding()).isEqualTo(embedding.embedding());

    // the base64 form of the same input decodes to the same floats
    CreateEmbeddingResponse base64 = client.embeddings().create(params.toBuilder()
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
    assertThat(base64.data().get(0).embedding()).isEqualTo(embedding.embedding());
  }

  @Test
  void adaReportsItsV2Snapshot() {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model(EmbeddingModel.TEXT_EMBEDDING_ADA_002).input("x").build());
    assertThat(response.model()).isEqualTo("text-embedding-ada-002-v2");
  }

  @Test
  void scriptedUsage() {
    server.enqueue(MockReply.usage(TokenUsage.of(42, 0)));
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL).input("x").build());
    assertThat(response.usage().promptTokens()).isEqualTo(42);
    assertThat(response.usage().totalTokens()).isEqualTo(42);
  }
}
