package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.Dispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.SpringAsmInfo;
import org.springframework.asm.Type;

/**
 * Every method, constructor and field of another library that the starter's compiled code refers to exists on the
 * class path it runs on. The starter is built against one Spring Boot 4.0.x line; this test runs on every line that the
 * build checks (compat/, see docs/configuration.md), so an API that an older line's Jackson, Hibernate, Micrometer or
 * Spring Framework lacks fails here, by name, rather than as a {@code NoSuchMethodError} in a user's calls.
 */
class StarterLinkageTests {

    private final ClassLoader loader = getClass().getClassLoader();

    private final Set<String> problems = new TreeSet<>();

    private final Set<String> checked = new HashSet<>();

    @Test
    void everyLibraryMemberTheStarterCallsExistsOnThisClassPath() throws Exception {
        Path root = Path.of(Dispatcher.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        int classes = 0;
        if (Files.isDirectory(root)) {
            classes = scan(root);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                classes = scan(jar.getPath("/"));
            }
        }
        assertThat(classes).as("classes of the starter read from %s", root).isGreaterThan(50);
        assertThat(this.checked).as("library members checked").hasSizeGreaterThan(100);
        assertThat(this.problems)
                .as("library members the starter uses but this class path lacks")
                .isEmpty();
    }

    private int scan(Path root) throws IOException {
        int count = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".class")) {
                    try (InputStream in = Files.newInputStream(file)) {
                        new ClassReader(in).accept(new References(), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                    }
                    count++;
                }
            }
        }
        return count;
    }

    private void member(String owner, String name, String descriptor, boolean field, String from) {
        if (!isLibrary(owner) || !this.checked.add(owner + "." + name + descriptor)) {
            return;
        }
        Class<?> type = load(owner, from);
        if (type == null) {
            return;
        }
        try {
            if (!(field ? hasField(type, name, descriptor) : hasMethod(type, name, descriptor))) {
                this.problems.add(owner.replace('/', '.') + "." + name + descriptor + " (used by " + from + ")");
            }
        } catch (LinkageError ex) {
            this.problems.add(owner.replace('/', '.') + " cannot be inspected: " + ex + " (used by " + from + ")");
        }
    }

    private Class<?> load(String internalName, String from) {
        String name = Type.getObjectType(internalName).getClassName();
        try {
            return Class.forName(name, false, this.loader);
        } catch (ClassNotFoundException | LinkageError ex) {
            this.problems.add(name + " is missing: " + ex + " (used by " + from + ")");
            return null;
        }
    }

    /** Where the JVM looks for it: the class, its superclasses, then every interface above them. */
    private static boolean hasMethod(Class<?> type, String name, String descriptor) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(type);
        Set<Class<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> next = todo.poll();
            if (!seen.add(next)) {
                continue;
            }
            Executable[] members = name.equals("<init>") ? next.getDeclaredConstructors() : next.getDeclaredMethods();
            for (Executable member : members) {
                if ((name.equals("<init>") || member.getName().equals(name))
                        && descriptor(member).equals(descriptor)) {
                    return true;
                }
            }
            if (name.equals("<init>")) {
                return false;
            }
            if (next.getSuperclass() != null) {
                todo.add(next.getSuperclass());
            }
            todo.addAll(java.util.List.of(next.getInterfaces()));
            if (next.isInterface()) {
                todo.add(Object.class);
            }
        }
        return false;
    }

    private static String descriptor(Executable member) {
        return (member instanceof Method method)
                ? Type.getMethodDescriptor(method)
                : Type.getConstructorDescriptor((Constructor<?>) member);
    }

    private static boolean hasField(Class<?> type, String name, String descriptor) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name)
                        && Type.getDescriptor(field.getType()).equals(descriptor)) {
                    return true;
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                if (hasField(i, name, descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Another library's class: not the starter's own, not the JDK's (compiled with --release 17). */
    private static boolean isLibrary(String owner) {
        return !owner.startsWith("[")
                && !owner.startsWith("dev/dispatch/")
                && !owner.startsWith("java/")
                && !owner.startsWith("javax/")
                && !owner.startsWith("jdk/")
                && !owner.startsWith("sun/");
    }

    private final class References extends ClassVisitor {

        private String name = "";

        References() {
            super(SpringAsmInfo.ASM_VERSION);
        }

        @Override
        public void visit(
                int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = name.replace('/', '.');
            if (superName != null && isLibrary(superName)) {
                load(superName, this.name);
            }
            for (String type : interfaces) {
                if (isLibrary(type)) {
                    load(type, this.name);
                }
            }
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String method, String descriptor, String signature, String[] exceptions) {
            String from = this.name + "." + method;
            return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                    member(owner, name, desc, false, from);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String desc) {
                    member(owner, name, desc, true, from);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (isLibrary(type) && StarterLinkageTests.this.checked.add(type)) {
                        load(type, from);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... arguments) {
                    for (Object argument : arguments) {
                        if (argument instanceof Handle handle) {
                            boolean field = handle.getTag() <= Opcodes.H_PUTSTATIC;
                            member(handle.getOwner(), handle.getName(), handle.getDesc(), field, from);
                        }
                    }
                }
            };
        }
    }
}
