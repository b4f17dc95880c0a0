package dev.aicost.benchmarks.floor;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The least a Java agent that weaves classes as they load can cost: the floor reference of
 * {@link dev.aicost.benchmarks.StartupBenchmark}, packaged alone as
 * {@code benchmarks/target/aicost-benchmarks-VERSION-noop-agent.jar} with the manifest capabilities of aicost's agent.
 * With the argument {@code transformer} it registers a class-file transformer that changes nothing, so the JVM hands
 * it every class it loads from then on (JVMTI's class-file-load hook: a copy of each class file, an up-call into Java,
 * and the original bytes of each class taken from the class-data-sharing archive); without it, premain does nothing.
 *
 * <p>aicost cannot avoid either part: it must see the classes of the libraries it instruments as they load, in
 * whatever class loader they appear.
 */
public final class NoopTransformerAgent {

  private NoopTransformerAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    if ("transformer".equals(args)) {
      instrumentation.addTransformer(new Unchanged(), true);
    }
  }

  private static final class Unchanged implements ClassFileTransformer {
    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String className,
        Class<?> classBeingRedefined,
        ProtectionDomain protectionDomain,
        byte[] classfileBuffer) {
      return null;
    }
  }
}
