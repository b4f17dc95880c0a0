package dev.aicost.javaagent.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;

/**
 * Checks, before a module is applied to a class loader, that every library type, method and field its advice and
 * helpers use exists there with the same signature, and that helper classes implement every abstract method of the
 * library types they extend. A library version that changed an API we use is then left alone with one log line,
 * instead of failing with {@code NoSuchMethodError} inside the application.
 */
final class ReferenceChecker {

  private final HelperInjector.ClassBytes classBytes;

  ReferenceChecker(HelperInjector.ClassBytes classBytes) {
    this.classBytes = classBytes;
  }

  /** Returns the mismatches found, empty when the module is safe to apply to {@code loader}. */
  List<String> check(InstrumentationModule module, List<String> adviceClasses, ClassLoader loader) {
    Set<String> helperInternalNames = new HashSet<>();
    for (String helper : module.helperClasses()) {
      helperInternalNames.add(helper.replace('.', '/'));
    }
    TypePool pool =
        TypePool.Default.of(
            loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
    Set<String> problems = new LinkedHashSet<>();
    List<String> all = new ArrayList<>(module.helperClasses());
    all.addAll(adviceClasses);
    for (String className : all) {
      byte[] bytes;
      try {
        bytes = classBytes.read(className);
      } catch (Exception e) {
        problems.add("cannot read " + className + ": " + e);
        continue;
      }
      boolean isHelper = helperInternalNames.contains(className.replace('.', '/'));
      new ClassReader(bytes)
          .accept(new ReferenceCollector(pool, helperInternalNames, isHelper, problems), ClassReader.SKIP_FRAMES);
    }
    for (String required : module.requiredMethods()) {
      checkRequiredMethod(pool, required, problems);
    }
    return new ArrayList<>(problems);
  }

  /** {@code class#method}: the class declares a method of that name (the advice's interception point). */
  private static void checkRequiredMethod(TypePool pool, String required, Set<String> problems) {
    int hash = required.indexOf('#');
    String className = required.substring(0, hash);
    String method = required.substring(hash + 1);
    TypePool.Resolution r = pool.describe(className);
    if (!r.isResolved()) {
      problems.add("missing class " + className);
      return;
    }
    for (MethodDescription m : r.resolve().getDeclaredMethods()) {
      if (m.getInternalName().equals(method)) {
        return;
      }
    }
    problems.add("missing method " + required + " (where calls are intercepted)");
  }

  private static boolean isPlatform(String internalName) {
    return internalName.startsWith("java/")
        || internalName.startsWith("javax/")
        || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/")
        || internalName.startsWith("dev/aicost/bootstrap/");
  }

  private static final class ReferenceCollector extends ClassVisitor {
    private final TypePool pool;
    private final Set<String> helpers;
    private final boolean isHelper;
    private final Set<String> problems;
    private final List<TypeDescription> supertypes = new ArrayList<>();
    private final Set<String> ownConcreteMethods = new HashSet<>();
    private boolean concrete;
    private String self;

    ReferenceCollector(TypePool pool, Set<String> helpers, boolean isHelper, Set<String> problems) {
      super(Opcodes.ASM9);
      this.pool = pool;
      this.helpers = helpers;
      this.isHelper = isHelper;
      this.problems = problems;
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName, String[] interfaces) {
      self = name;
      if (!isHelper) {
        return; // advice is inlined: its own class hierarchy does not matter
      }
      if (superName != null) {
        TypeDescription t = type(superName);
        if (t != null) {
          supertypes.add(t);
        }
      }
      if (interfaces != null) {
        for (String i : interfaces) {
          TypeDescription t = type(i);
          if (t != null) {
            supertypes.add(t);
          }
        }
      }
      concrete = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) == 0;
    }

    @Override
    public void visitEnd() {
      if (isHelper && concrete) {
        checkImplementsAll(self);
      }
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      checkDescriptorTypes(Type.getType(descriptor));
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      checkDescriptorTypes(Type.getMethodType(descriptor));
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
        ownConcreteMethods.add(name + descriptor);
      }
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
          checkMethod(owner, mName, mDesc);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String fName, String fDesc) {
          checkField(owner, fName, fDesc);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
          checkType(type);
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof Type && ((Type) value).getSort() == Type.OBJECT) {
            checkType(((Type) value).getInternalName());
          }
        }
      };
    }

    private boolean skip(String internalName) {
      return internalName.startsWith("[")
          || isPlatform(internalName)
          || helpers.contains(internalName)
          || internalName.equals(self);
    }

    private void checkDescriptorTypes(Type type) {
      if (type.getSort() == Type.METHOD) {
        checkDescriptorTypes(type.getReturnType());
        for (Type arg : type.getArgumentTypes()) {
          checkDescriptorTypes(arg);
        }
      } else if (type.getSort() == Type.ARRAY) {
        checkDescriptorTypes(type.getElementType());
      } else if (type.getSort() == Type.OBJECT) {
        checkType(type.getInternalName());
      }
    }

    private TypeDescription type(String internalName) {
      if (skip(internalName)) {
        return null;
      }
      if (internalName.startsWith("dev/aicost/")) {
        problems.add(
            "references agent class "
                + internalName.replace('/', '.')
                + ", which is not a helper of this module and is invisible to the application's class loader");
        return null;
      }
      TypePool.Resolution r = pool.describe(internalName.replace('/', '.'));
      if (!r.isResolved()) {
        problems.add("missing class " + internalName.replace('/', '.'));
        return null;
      }
      return r.resolve();
    }

    private void checkType(String internalName) {
      if (internalName.startsWith("[")) {
        checkDescriptorTypes(Type.getType(internalName));
      } else {
        type(internalName);
      }
    }

    private void checkMethod(String owner, String name, String descriptor) {
      TypeDescription t = type(owner);
      if (t == null) {
        return;
      }
      if (!hasMethod(t, name, descriptor, new HashSet<>())) {
        problems.add("missing method " + owner.replace('/', '.') + "#" + name + descriptor);
      }
    }

    private void checkField(String owner, String name, String descriptor) {
      TypeDescription t = type(owner);
      if (t == null) {
        return;
      }
      for (TypeDefinition c = t; c != null; c = superClass(c)) {
        for (FieldDescription f : c.getDeclaredFields()) {
          if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) {
            return;
          }
        }
      }
      problems.add("missing field " + owner.replace('/', '.') + "#" + name + ":" + descriptor);
    }

    private static boolean hasMethod(TypeDefinition t, String name, String descriptor, Set<String> visited) {
      if (t == null || !visited.add(t.asErasure().getName())) {
        return false;
      }
      for (MethodDescription m : t.getDeclaredMethods()) {
        if (m.getInternalName().equals(name) && m.getDescriptor().equals(descriptor)) {
          return true;
        }
      }
      if (hasMethod(superClass(t), name, descriptor, visited)) {
        return true;
      }
      for (TypeDescription.Generic i : t.getInterfaces()) {
        if (hasMethod(i.asErasure(), name, descriptor, visited)) {
          return true;
        }
      }
      return false;
    }

    private static TypeDefinition superClass(TypeDefinition t) {
      TypeDescription.Generic s = t.getSuperClass();
      return s == null ? null : s.asErasure();
    }

    /** A concrete helper must implement every abstract method of the library types it extends. */
    private void checkImplementsAll(String helper) {
      Set<String> abstractMethods = new LinkedHashSet<>();
      Set<String> implemented = new HashSet<>(ownConcreteMethods);
      collect(supertypes, abstractMethods, implemented, new HashSet<>());
      for (String m : abstractMethods) {
        if (!implemented.contains(m)) {
          problems.add("helper " + helper.replace('/', '.') + " does not implement " + m + " of the library's types");
        }
      }
    }

    private void collect(
        List<TypeDescription> types, Set<String> abstractMethods, Set<String> implemented, Set<String> visited) {
      for (TypeDescription t : types) {
        if (!visited.add(t.getName())) {
          continue;
        }
        for (MethodDescription m : t.getDeclaredMethods()) {
          if (m.isStatic() || m.isConstructor() || m.isTypeInitializer()) {
            continue;
          }
          String key = m.getInternalName() + m.getDescriptor();
          if (m.isAbstract()) {
            abstractMethods.add(key);
          } else {
            implemented.add(key);
          }
        }
        List<TypeDescription> next = new ArrayList<>();
        TypeDefinition s = superClass(t);
        if (s != null) {
          next.add(s.asErasure());
        }
        for (TypeDescription.Generic i : t.getInterfaces()) {
          next.add(i.asErasure());
        }
        collect(next, abstractMethods, implemented, visited);
      }
    }
  }
}
