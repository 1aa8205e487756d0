package io.github.depthsweep.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One protobuf message being encoded, field by field, with protobuf-java's {@link
 * CodedOutputStream}: TensorBoard's messages are written from their field numbers (given where each
 * message is built, beside the {@code .proto} line they come from) rather than from generated
 * classes, which would pull TensorBoard's {@code .proto} files and protoc into the build.
 */
final class Proto {

    private final ByteString.Output bytes = ByteString.newOutput();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Proto string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    Proto bytes(int field, ByteString value) {
        return write(() -> out.writeBytes(field, value));
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.toByteString());
    }

    Proto int64(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    /** An int32 or an enum, which protobuf encodes alike. */
    Proto int32(int field, int value) {
        return write(() -> out.writeInt32(field, value));
    }

    Proto double64(int field, double value) {
        return write(() -> out.writeDouble(field, value));
    }

    /** A packed {@code repeated float}. */
    Proto floats(int field, float... values) {
        return write(
                () -> {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(values.length * Float.BYTES);
                    for (float value : values) {
                        out.writeFloatNoTag(value);
                    }
                });
    }

    /** A packed {@code repeated double}. */
    Proto doubles(int field, double... values) {
        return write(
                () -> {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(values.length * Double.BYTES);
                    for (double value : values) {
                        out.writeDoubleNoTag(value);
                    }
                });
    }

    ByteString toByteString() {
        write(out::flush);
        return bytes.toByteString();
    }

    byte[] toByteArray() {
        return toByteString().toByteArray();
    }

    private Proto write(Encoding encoding) {
        try {
            encoding.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: cannot happen
        }
        return this;
    }

    private interface Encoding {
        void run() throws IOException;
    }
}
