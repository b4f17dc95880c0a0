package dev.aicost.javaagent.instrumentation.openai;

import com.openai.core.http.StreamResponse;
import dev.aicost.javaagent.instrumentation.common.ObservingSpliterator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A streamed response whose chunks are observed on their way to the application. */
final class TracedStreamResponse<T> implements StreamResponse<T> {

  private final OpenAiCall call;
  private final StreamResponse<T> delegate;

  TracedStreamResponse(OpenAiCall call, StreamResponse<T> delegate) {
    this.call = call;
    this.delegate = delegate;
  }

  @Override
  public Stream<T> stream() {
    Stream<T> source = delegate.stream();
    return StreamSupport.stream(new ObservingSpliterator<>(source.spliterator(), call), false)
        .onClose(source::close);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      call.onStreamClosedEarly();
    }
  }
}
