package dev.aicost.javaagent.internal;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.assign.TypeCasting;

/**
 * Byte Buddy's default assigner for the advice, except that a reference assigned to {@code Object}, or (with dynamic
 * typing) from {@code Object}, is decided by the types' names alone. The default asks whether {@code Object} is
 * assignable to the other type, which reads that type's modifiers: for an advice that may replace a method's return
 * value ({@code @Advice.Return(readOnly = false, typing = DYNAMIC) Object}), that meant parsing the class file of the
 * return type of every woven method, large generated model classes among them, at start-up
 * (docs/performance.md#start-up). The code emitted is the same: nothing to {@code Object}, a {@code checkcast} from it.
 */
enum AdviceAssigner implements Assigner {
  INSTANCE;

  @Override
  public StackManipulation assign(TypeDescription.Generic source, TypeDescription.Generic target, Typing typing) {
    if (source.isPrimitive() || target.isPrimitive()) { // void included
      return Assigner.DEFAULT.assign(source, target, typing);
    }
    TypeDescription from = source.asErasure();
    TypeDescription to = target.asErasure();
    if (to.represents(Object.class) || from.getName().equals(to.getName())) {
      return StackManipulation.Trivial.INSTANCE;
    }
    if (typing.isDynamic() && from.represents(Object.class)) {
      return TypeCasting.to(to);
    }
    return Assigner.DEFAULT.assign(source, target, typing);
  }
}
