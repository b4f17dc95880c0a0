package dev.aicost.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypePath;

/**
 * Build step of the agent jar (run by the javaagent module's antrun execution, never shipped): removes from the
 * shaded third-party classes what only a debugger or the Kotlin compiler reads, so that the agent jar stays small.
 *
 * <ul>
 *   <li>{@code LocalVariableTable} / {@code LocalVariableTypeTable} (local variable names for debuggers). Line numbers
 *       and source file names stay: stack traces through shaded code keep their line numbers.
 *   <li>The {@code @kotlin.Metadata} annotation of OkHttp, Okio and the Kotlin standard library (read only by
 *       kotlin-reflect and the Kotlin compiler; the agent calls them from Java and ships no kotlin-reflect), and the
 *       {@code .kotlin_metadata} / {@code .kotlin_builtins} resources for the same reason.
 * </ul>
 *
 * <p>Usage: {@code ShrinkShadedClasses DIR PACKAGE_PATH}: every class under {@code DIR/PACKAGE_PATH} is rewritten in
 * place. The constant pool is rebuilt, so the names that only the removed attributes used go too.
 */
public final class ShrinkShadedClasses {

  private ShrinkShadedClasses() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ShrinkShadedClasses DIR PACKAGE_PATH (e.g. target/x dev/aicost/shaded)");
    }
    Path root = Paths.get(args[0]).resolve(args[1]);
    String kotlinMetadata = "L" + args[1] + "/kotlin/Metadata;";
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    long before = 0;
    long after = 0;
    int removed = 0;
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".kotlin_metadata") || name.endsWith(".kotlin_builtins")) {
        before += Files.size(file);
        Files.delete(file);
        removed++;
      } else if (name.endsWith(".class")) {
        byte[] in = Files.readAllBytes(file);
        byte[] out = shrink(in, kotlinMetadata);
        Files.write(file, out);
        before += in.length;
        after += out.length;
      }
    }
    System.out.printf(
        "[aicost build] %s: %d classes %,d -> %,d bytes; %d Kotlin metadata files removed%n",
        root, files.size() - removed, before, after, removed);
  }

  static byte[] shrink(byte[] classFile, String kotlinMetadataDescriptor) {
    ClassReader reader = new ClassReader(classFile);
    // No ClassReader passed to the writer: the constant pool is rebuilt from what is still referenced.
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return kotlinMetadataDescriptor.equals(descriptor) ? null : super.visitAnnotation(descriptor, visible);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
              @Override
              public void visitLocalVariable(
                  String n, String d, String s, Label start, Label end, int index) {
                // dropped: debugger-only
              }

              @Override
              public AnnotationVisitor visitLocalVariableAnnotation(
                  int typeRef, TypePath typePath, Label[] start, Label[] end, int[] index, String d, boolean v) {
                return null;
              }
            };
          }
        },
        0);
    return writer.toByteArray();
  }
}
