package io.github.depthsweep.tensorboard;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads event files back: their events' times and steps, and their scalars. Enough to check what a
 * writer wrote and to compare two runs' files, without TensorBoard.
 */
public final class EventFiles {

    private EventFiles() {}

    /**
     * One event of a file.
     *
     * @param wallTime its time, seconds since 1970-01-01 UTC
     * @param step its step
     * @param content everything else it holds, encoded: two events with equal content differ in
     *     their times only
     */
    public record Event(double wallTime, long step, ByteString content) {

        /**
         * Returns the event's scalars, as {@link Summary#scalar} writes them.
         *
         * @return each scalar's value by tag, in the event's order; empty for other events
         * @throws IOException if the content is not an event
         */
        public Map<String, Float> scalars() throws IOException {
            Map<String, Float> scalars = new LinkedHashMap<>();
            for (ByteString value : fields(content, 5, 1)) { // Event.summary, Summary.value
                String tag = fields(value, 1).get(0).toStringUtf8();
                List<ByteString> tensors = fields(value, 8);
                if (tensors.isEmpty()) {
                    continue;
                }
                List<ByteString> floats = fields(tensors.get(0), 5); // TensorProto.float_val
                if (floats.size() == 1 && floats.get(0).size() == Float.BYTES) {
                    ByteBuffer bytes = floats.get(0).asReadOnlyByteBuffer();
                    scalars.put(tag, bytes.order(ByteOrder.LITTLE_ENDIAN).getFloat());
                }
            }
            return scalars;
        }

        /**
         * Returns the tags of the event's values.
         *
         * @return the tags, in order
         * @throws IOException if the content is not an event
         */
        public List<String> tags() throws IOException {
            List<String> tags = new ArrayList<>();
            for (ByteString value : fields(content, 5, 1)) {
                tags.add(fields(value, 1).get(0).toStringUtf8());
            }
            return tags;
        }
    }

    /**
     * Reads a file's events, checking every record's checksums.
     *
     * @param file an event file
     * @return its events, the {@code file_version} record first
     * @throws IOException if it cannot be read, or a record is damaged
     */
    public static List<Event> read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        for (byte[] record : TfRecords.readAll(file)) {
            events.add(event(record));
        }
        return events;
    }

    private static Event event(byte[] record) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(record);
        ByteString.Output rest = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(rest);
        double wallTime = 0;
        long step = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> wallTime = in.readDouble();
                case 2 -> step = in.readInt64();
                default -> in.skipField(tag, out);
            }
        }
        out.flush();
        return new Event(wallTime, step, rest.toByteString());
    }

    /** The length-delimited fields with a number, following a path of nested fields. */
    private static List<ByteString> fields(ByteString message, int... path) throws IOException {
        List<ByteString> found = List.of(message);
        for (int number : path) {
            List<ByteString> next = new ArrayList<>();
            for (ByteString bytes : found) {
                CodedInputStream in = bytes.newCodedInput();
                int tag;
                while ((tag = in.readTag()) != 0) {
                    if (WireFormat.getTagFieldNumber(tag) == number
                            && WireFormat.getTagWireType(tag)
                                    == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        next.add(in.readBytes());
                    } else {
                        in.skipField(tag);
                    }
                }
            }
            found = next;
        }
        return found;
    }
}
