package io.sqliteasync.internal.worker;

import java.security.CodeSource;
import java.util.Locale;

/**
 * Where the application opened a cursor, for the message of an error an open cursor causes. Captured on the calling
 * thread when the cursor is created, if the system property {@code sqliteasync.cursorOrigin} asks for it:
 * {@code frame} keeps the first stack frame outside this library and the JDK, {@code stack} the whole stack. The
 * default, {@code off}, keeps nothing: walking the stack costs 2 to 5 microseconds per cursor on a small VM
 * (StackWalker or a Throwable alike), about as much as the whole cursor open round trip, so it is a debugging aid
 * that the error message tells how to switch on. The property is read at every capture, so it can be switched on
 * in a running JVM.
 */
final class CallSite {
    /** The property that chooses how much of the stack to keep. */
    static final String PROPERTY = "sqliteasync.cursorOrigin";
    private static final int OFF = 0;
    private static final int FRAME = 1;
    private static final int STACK = 2;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Where this library's classes come from: frames of classes from there are skipped. */
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final CodeSource LIBRARY = CallSite.class.getProtectionDomain().getCodeSource();

    private CallSite() {
    }

    private static int mode() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return OFF;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "frame":
            case "on":
            case "true":
                return FRAME;
            case "stack":
            case "full":
                return STACK;
            default:
                return OFF;
        }
    }

    /**
     * Describes the caller.
     *
     * @return for example {@code com.example.Orders.report(Orders.java:42)}, the stack (one frame per line), or
     *     {@code null} when capture is off
     */
    static String capture() {
        int mode = mode();
        if (mode == OFF) {
            return null;
        }
        if (mode == STACK) {
            StringBuilder sb = new StringBuilder();
            WALKER.forEach(f -> {
                if (!library(f.getDeclaringClass()) && !jdk(f.getDeclaringClass())) {
                    sb.append(sb.length() == 0 ? "" : "\n\t\tat ").append(format(f));
                }
            });
            return sb.length() == 0 ? null : sb.toString();
        }
        return WALKER.walk(frames -> frames.filter(f -> !library(f.getDeclaringClass()) && !jdk(f.getDeclaringClass()))
                .findFirst().map(CallSite::format).orElse(null));
    }

    /** How to ask for more, for messages. */
    static String hint() {
        switch (mode()) {
            case OFF:
                return "; run with -D" + PROPERTY + "=frame (or =stack) to see where each cursor was opened";
            case FRAME:
                return "; run with -D" + PROPERTY + "=stack to see the whole stack where each cursor was opened";
            default:
                return "";
        }
    }

    private static boolean library(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == LIBRARY || (source != null && source.equals(LIBRARY));
    }

    /** The JDK's own frames (a {@code CompletableFuture} running a continuation, say) say nothing about the caller. */
    private static boolean jdk(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return loader == null || loader == PLATFORM;
    }

    private static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        return f.getClassName() + "." + f.getMethodName() + "(" + (file == null ? "Unknown Source"
                : file + (f.getLineNumber() >= 0 ? ":" + f.getLineNumber() : "")) + ")";
    }
}
