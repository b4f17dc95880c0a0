package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class AgentInternalsTest {

  @Test
  void theJdkIsIgnoredExceptTheClassesAModuleNames() {
    AgentInstaller.Ignored ignored = new AgentInstaller.Ignored(Set.of("java.util.concurrent.ForkJoinTask"));
    assertThat(ignored.matches(TypeDescription.ForLoadedType.of(java.util.concurrent.ForkJoinTask.class), null, null, null, null))
        .isFalse();
    assertThat(ignored.matches(TypeDescription.ForLoadedType.of(java.util.concurrent.FutureTask.class), null, null, null, null))
        .isTrue();
    ClassLoader app = getClass().getClassLoader();
    assertThat(ignored.matches(TypeDescription.ForLoadedType.of(org.assertj.core.api.Assertions.class), app, null, null, null)).isFalse();
    assertThat(ignored.matches(TypeDescription.ForLoadedType.of(AgentInternalsTest.class), app, null, null, null)).isTrue();
    assertThat(ignored.matches(TypeDescription.ForLoadedType.of(String.class), app, null, null, null)).isTrue();
  }

  @Test
  void theIgnoreMatcherReadsOnlyTheNameSoApplicationClassesAreNotParsed() {
    // A lazily resolved description of a class whose bytes cannot be found: its name is known, anything else (the
    // modifiers, annotations) would make Byte Buddy parse the class file, here fail. The matcher runs for every class
    // the application loads, so it must decide from the name.
    net.bytebuddy.pool.TypePool pool =
        new net.bytebuddy.pool.TypePool.Default.WithLazyResolution(
            new net.bytebuddy.pool.TypePool.CacheProvider.Simple(),
            net.bytebuddy.dynamic.ClassFileLocator.NoOp.INSTANCE,
            net.bytebuddy.pool.TypePool.Default.ReaderMode.FAST);
    TypeDescription unparsed = pool.describe("com.example.app.Unparsed").resolve();
    assertThatThrownBy(unparsed::getModifiers).isInstanceOf(IllegalStateException.class);
    AgentInstaller.Ignored ignored = new AgentInstaller.Ignored(Set.of());
    assertThat(ignored.matches(unparsed, getClass().getClassLoader(), null, null, null)).isFalse();
  }

  @Test
  void helpersAreMappedFromTheAgentsOpenTelemetryToTheApplications() {
    // A class that references OpenTelemetry under a stand-in agent package, as the shaded jar does.
    String agentPackage = ApplicationOpenTelemetry.AGENT_PACKAGE;
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "x/Helper", null, "java/lang/Object", null);
    MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "span", "()V", null, null);
    m.visitCode();
    m.visitMethodInsn(Opcodes.INVOKESTATIC, agentPackage + "api/trace/Span", "current", "()L" + agentPackage + "api/trace/Span;", true);
    m.visitInsn(Opcodes.POP);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(1, 0);
    m.visitEnd();
    w.visitEnd();
    byte[] remapped = ApplicationOpenTelemetry.remap(w.toByteArray());
    StringBuilder owners = new StringBuilder();
    new ClassReader(remapped).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            owners.append(owner).append(' ').append(d);
          }
        };
      }
    }, 0);
    assertThat(owners.toString())
        .isEqualTo(ApplicationOpenTelemetry.APPLICATION_PACKAGE + "api/trace/Span ()L" + ApplicationOpenTelemetry.APPLICATION_PACKAGE + "api/trace/Span;");
    assertThat(ApplicationOpenTelemetry.APPLICATION_PACKAGE).isEqualTo("io/opentelemetry/");
  }
}
