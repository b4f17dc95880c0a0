package dev.aicost.javaagent.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Checks, before a module is applied to a class loader, that every library type, method and field its advice and
 * helpers use exists there with the same signature, and that helper classes implement every abstract method of the
 * library types they extend. A library version that changed an API we use is then left alone with one log line,
 * instead of failing with {@code NoSuchMethodError} inside the application.
 *
 * <p>Library classes are read with ASM into {@link ClassModel}s (names, descriptors and access flags only), not
 * described by Byte Buddy's type pool: the pool also parses every generic signature of a class, and the classes
 * these checks read are large generated model classes (docs/performance.md#start-up). A type that is only named (a
 * cast, an {@code instanceof}, a descriptor) is not read at all: its class file must exist.
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
    LibraryClasses library = new LibraryClasses(loader);
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
          .accept(new ReferenceCollector(library, helperInternalNames, isHelper, problems), ClassReader.SKIP_FRAMES);
    }
    for (String required : module.requiredMethods()) {
      checkRequiredMethod(library, required, problems);
    }
    return new ArrayList<>(problems);
  }

  /** {@code class#method}: the class declares a method of that name (the advice's interception point). */
  private static void checkRequiredMethod(LibraryClasses library, String required, Set<String> problems) {
    int hash = required.indexOf('#');
    String className = required.substring(0, hash);
    String method = required.substring(hash + 1);
    ClassModel c = library.model(className.replace('.', '/'));
    if (c == null) {
      problems.add("missing class " + className);
      return;
    }
    for (String m : c.methods.keySet()) {
      if (m.startsWith(method) && m.charAt(method.length()) == '(') {
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

  /** What the checks need of a class: its hierarchy and its members' names, descriptors and access flags. */
  private static final class ClassModel {
    final String name;
    final String superName;
    final List<String> interfaces;
    /** Name + descriptor of each declared method, to its access flags. */
    final Map<String, Integer> methods = new LinkedHashMap<>();
    /** Name + ":" + descriptor of each declared field. */
    final Set<String> fields = new HashSet<>();

    ClassModel(String name, String superName, List<String> interfaces) {
      this.name = name;
      this.superName = superName;
      this.interfaces = interfaces;
    }

    static ClassModel read(byte[] classFile) {
      ClassModel[] model = new ClassModel[1];
      new ClassReader(classFile)
          .accept(
              new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(
                    int version, int access, String name, String signature, String superName, String[] interfaces) {
                  model[0] =
                      new ClassModel(
                          name,
                          superName,
                          interfaces == null ? Collections.<String>emptyList() : java.util.Arrays.asList(interfaces));
                }

                @Override
                public FieldVisitor visitField(
                    int access, String name, String descriptor, String signature, Object value) {
                  model[0].fields.add(name + ":" + descriptor);
                  return null;
                }

                @Override
                public MethodVisitor visitMethod(
                    int access, String name, String descriptor, String signature, String[] exceptions) {
                  model[0].methods.put(name + descriptor, access);
                  return null;
                }
              },
              ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return model[0];
    }
  }

  /** The library's classes as {@code loader} sees them, read once per check. */
  private static final class LibraryClasses {
    private final ClassLoader loader;
    private final ClassFileLocator bootLocator;
    private final Map<String, ClassModel> models = new HashMap<>();
    private final Map<String, Boolean> exists = new HashMap<>();

    LibraryClasses(ClassLoader loader) {
      this.loader = loader;
      this.bootLocator = loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : null;
    }

    /** The class, read; {@code null} when it does not exist or cannot be read. */
    ClassModel model(String internalName) {
      if (models.containsKey(internalName)) {
        return models.get(internalName);
      }
      ClassModel model = null;
      try {
        byte[] classFile;
        if (loader == null) {
          ClassFileLocator.Resolution r = bootLocator.locate(internalName.replace('/', '.'));
          classFile = r.isResolved() ? r.resolve() : null;
        } else {
          classFile = LibraryResources.read(loader, internalName + ".class");
        }
        if (classFile != null) {
          model = ClassModel.read(classFile);
        }
      } catch (java.io.IOException | RuntimeException unreadable) {
        model = null;
      }
      models.put(internalName, model);
      return model;
    }

    /** Whether the class file exists, without reading it. */
    boolean exists(String internalName) {
      if (models.containsKey(internalName)) {
        return models.get(internalName) != null;
      }
      Boolean known = exists.get(internalName);
      if (known == null) {
        known =
            loader == null
                ? model(internalName) != null
                : LibraryResources.find(loader, internalName + ".class") != null;
        exists.put(internalName, known);
      }
      return known;
    }
  }

  private static final class ReferenceCollector extends ClassVisitor {
    private final LibraryClasses library;
    private final Set<String> helpers;
    private final boolean isHelper;
    private final Set<String> problems;
    private final List<ClassModel> supertypes = new ArrayList<>();
    private final Set<String> ownConcreteMethods = new HashSet<>();
    private boolean concrete;
    private String self;

    ReferenceCollector(LibraryClasses library, Set<String> helpers, boolean isHelper, Set<String> problems) {
      super(Opcodes.ASM9);
      this.library = library;
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
        ClassModel t = type(superName);
        if (t != null) {
          supertypes.add(t);
        }
      }
      if (interfaces != null) {
        for (String i : interfaces) {
          ClassModel t = type(i);
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

    /** The library type, read; {@code null} when skipped or missing (reported). */
    private ClassModel type(String internalName) {
      if (!isLibraryType(internalName)) {
        return null;
      }
      ClassModel c = library.model(internalName);
      if (c == null) {
        problems.add("missing class " + internalName.replace('/', '.'));
      }
      return c;
    }

    /** Whether the name is a library type to check: not the platform's, a helper's or the agent's (reported). */
    private boolean isLibraryType(String internalName) {
      if (skip(internalName)) {
        return false;
      }
      if (internalName.startsWith("dev/aicost/")) {
        problems.add(
            "references agent class "
                + internalName.replace('/', '.')
                + ", which is not a helper of this module and is invisible to the application's class loader");
        return false;
      }
      return true;
    }

    /** A type only named: its class file must exist; nothing of it is read. */
    private void checkType(String internalName) {
      if (internalName.startsWith("[")) {
        checkDescriptorTypes(Type.getType(internalName));
      } else if (isLibraryType(internalName) && !library.exists(internalName)) {
        problems.add("missing class " + internalName.replace('/', '.'));
      }
    }

    private void checkMethod(String owner, String name, String descriptor) {
      ClassModel t = type(owner);
      if (t != null && !hasMethod(t, name + descriptor, new HashSet<>())) {
        problems.add("missing method " + owner.replace('/', '.') + "#" + name + descriptor);
      }
    }

    private void checkField(String owner, String name, String descriptor) {
      ClassModel t = type(owner);
      if (t == null) {
        return;
      }
      for (ClassModel c = t; c != null; c = superClass(c)) {
        if (c.fields.contains(name + ":" + descriptor)) {
          return;
        }
      }
      problems.add("missing field " + owner.replace('/', '.') + "#" + name + ":" + descriptor);
    }

    /** Declared by the type, a superclass or a superinterface (the JDK's types included, as the JVM resolves it). */
    private boolean hasMethod(ClassModel t, String nameAndDescriptor, Set<String> visited) {
      if (t == null || !visited.add(t.name)) {
        return false;
      }
      if (t.methods.containsKey(nameAndDescriptor)) {
        return true;
      }
      if (hasMethod(superClass(t), nameAndDescriptor, visited)) {
        return true;
      }
      for (String i : t.interfaces) {
        if (hasMethod(library.model(i), nameAndDescriptor, visited)) {
          return true;
        }
      }
      return false;
    }

    private ClassModel superClass(ClassModel t) {
      return t.superName == null ? null : library.model(t.superName);
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
        List<ClassModel> types, Set<String> abstractMethods, Set<String> implemented, Set<String> visited) {
      for (ClassModel t : types) {
        if (t == null || !visited.add(t.name)) {
          continue;
        }
        for (Map.Entry<String, Integer> m : t.methods.entrySet()) {
          int access = m.getValue();
          String key = m.getKey();
          if ((access & Opcodes.ACC_STATIC) != 0 || key.startsWith("<init>(") || key.startsWith("<clinit>(")) {
            continue;
          }
          if ((access & Opcodes.ACC_ABSTRACT) != 0) {
            abstractMethods.add(key);
          } else {
            implemented.add(key);
          }
        }
        List<ClassModel> next = new ArrayList<>();
        if (t.superName != null) {
          next.add(library.model(t.superName));
        }
        for (String i : t.interfaces) {
          next.add(library.model(i));
        }
        collect(next, abstractMethods, implemented, visited);
      }
    }
  }
}
