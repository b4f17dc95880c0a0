package dev.aicost.javaagent.instrumentation.anthropic;

import com.anthropic.core.http.Headers;
import com.anthropic.core.http.HttpResponseFor;
import java.io.InputStream;

/** The SDK's lazily parsed response, observed: usage is read the first time the application parses it. */
final class TracedHttpResponseFor<T> implements HttpResponseFor<T> {

  private final AnthropicCall call;
  private final HttpResponseFor<T> delegate;
  private boolean parsed;
  private T result;

  TracedHttpResponseFor(AnthropicCall call, HttpResponseFor<T> delegate) {
    this.call = call;
    this.delegate = delegate;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized T parse() {
    if (parsed) {
      return result;
    }
    T value;
    try {
      value = delegate.parse();
    } catch (RuntimeException | Error e) {
      call.fail(e);
      throw e;
    }
    T observed;
    try {
      observed = (T) call.onParsed(value);
    } catch (Throwable t) {
      observed = value;
    }
    result = observed;
    parsed = true;
    return observed;
  }

  @Override
  public int statusCode() {
    return delegate.statusCode();
  }

  @Override
  public Headers headers() {
    return delegate.headers();
  }

  @Override
  public InputStream body() {
    return delegate.body();
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      boolean wasParsed;
      synchronized (this) {
        wasParsed = parsed;
      }
      if (!wasParsed) {
        call.onClosedUnparsed();
      }
    }
  }
}
