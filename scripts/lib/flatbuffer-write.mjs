// Small helpers over the `flatbuffers` Builder for things it has no one-call method for.

/** A vector of already-written tables (offsets), in the given order. @param {import('flatbuffers').Builder} builder @param {number[]} tables */
export function tableVector(builder, tables) {
  builder.startVector(4, tables.length, 4);
  for (let i = tables.length - 1; i >= 0; i--) builder.addOffset(tables[i]);
  return builder.endVector();
}

/**
 * A [ubyte] vector whose first byte lands on an `alignment`-byte boundary of the finished buffer
 * (TFLite's Buffer.data is `force_align: 16`; createByteVector only aligns to 4).
 * @param {import('flatbuffers').Builder} builder @param {Uint8Array} bytes @param {number} alignment
 */
export function alignedByteVector(builder, bytes, alignment) {
  builder.startVector(1, bytes.length, alignment);
  writeRawBytes(builder, bytes);
  return builder.endVector();
}

/**
 * Writes bytes verbatim at the current position (the builder grows downwards, so the last byte
 * goes first). The caller must have reserved room with prep()/startVector().
 * @param {import('flatbuffers').Builder} builder @param {Uint8Array} bytes
 */
export function writeRawBytes(builder, bytes) {
  for (let i = bytes.length - 1; i >= 0; i--) builder.writeInt8(bytes[i]);
}
