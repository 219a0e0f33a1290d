// Adds a TFLite Support metadata flatbuffer to a .tflite model without re-serialising the model.
//
// FlatBuffer offsets only point forward, so the new root `Model` table is written BEFORE an
// untouched copy of the original bytes and refers into that copy: the original vectors/tables
// (operator codes, subgraphs, buffers, ...) are reused as they are, `buffers` gets one more entry
// holding the metadata, and `metadata` gets a {name: "TFLITE_METADATA", buffer: <that index>}
// entry. The copy starts on a 16-byte boundary, so its internal offsets and alignment stay valid.
// Field ids follow the `Model`, `Buffer` and `Metadata` tables of TFLite's schema.fbs.
import { Builder } from 'flatbuffers';
import { alignedByteVector, tableVector, writeRawBytes } from './flatbuffer-write.mjs';
import { fieldPosition, openFlatBuffer, referencedObject, rootTable, stringField, tablesInVector, vtableFieldCount } from './flatbuffer-fields.mjs';

export const TFLITE_FILE_IDENTIFIER = 'TFL3';
export const METADATA_NAME = 'TFLITE_METADATA';

export const MODEL_FIELDS = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
export const BUFFER_FIELDS = { data: 0 };
export const METADATA_FIELDS = { name: 0, buffer: 1 };
const MODEL_FIELD_COUNT = 8;
const BLOCK_ALIGNMENT = 16; // the largest alignment TFLite uses (Buffer.data force_align)

/**
 * @param {Uint8Array} modelBytes a .tflite flatbuffer
 * @param {Uint8Array} metadataBytes a ModelMetadata flatbuffer ("M001")
 * @returns {Uint8Array} a new .tflite with the metadata attached
 */
export function attachMetadata(modelBytes, metadataBytes) {
  const source = readModelRoot(modelBytes);
  const builder = new Builder(modelBytes.length + metadataBytes.length + 1024);

  builder.prep(BLOCK_ALIGNMENT, modelBytes.length);
  writeRawBytes(builder, modelBytes);
  const blockStart = builder.offset();
  // Builder offsets count back from the end of the buffer; this maps a position in the copy to one.
  const inCopy = (/** @type {number} */ position) => blockStart - position;

  const metadataBuffer = bufferTable(builder, metadataBytes);
  const buffers = tableVector(builder, [...source.bufferTables.map(inCopy), metadataBuffer]);
  const metadataEntry = metadataTable(builder, source.bufferTables.length);
  const metadata = tableVector(builder, [...source.metadataTables.map(inCopy), metadataEntry]);

  builder.startObject(MODEL_FIELD_COUNT);
  builder.addFieldInt32(MODEL_FIELDS.version, source.version, 0);
  for (const id of [MODEL_FIELDS.operatorCodes, MODEL_FIELDS.subgraphs, MODEL_FIELDS.description, MODEL_FIELDS.metadataBuffer, MODEL_FIELDS.signatureDefs]) {
    const object = source.references.get(id);
    if (object) builder.addFieldOffset(id, inCopy(object), 0);
  }
  builder.addFieldOffset(MODEL_FIELDS.buffers, buffers, 0);
  builder.addFieldOffset(MODEL_FIELDS.metadata, metadata, 0);
  builder.finish(builder.endObject(), TFLITE_FILE_IDENTIFIER);
  return builder.asUint8Array().slice();
}

/** The parts of the source Model that the new root reuses, as positions in the source bytes. */
function readModelRoot(/** @type {Uint8Array} */ modelBytes) {
  const bb = openFlatBuffer(modelBytes);
  if (modelBytes.length < 8 || !bb.__has_identifier(TFLITE_FILE_IDENTIFIER)) {
    throw new Error(`not a TFLite model: file identifier "${TFLITE_FILE_IDENTIFIER}" missing`);
  }
  const model = rootTable(bb);
  // A field this code does not know would be silently dropped: refuse instead.
  for (let id = MODEL_FIELD_COUNT; id < vtableFieldCount(bb, model); id++) {
    if (fieldPosition(bb, model, id)) throw new Error(`the model uses Model field ${id}, unknown to this tool`);
  }
  const bufferTables = tablesInVector(bb, model, MODEL_FIELDS.buffers);
  if (!bufferTables.length) throw new Error('the model has no buffers vector (buffer 0 must be the empty sentinel)');
  const metadataTables = tablesInVector(bb, model, MODEL_FIELDS.metadata);
  if (metadataTables.some((table) => stringField(bb, table, METADATA_FIELDS.name) === METADATA_NAME)) {
    throw new Error(`the model already has ${METADATA_NAME}`);
  }
  const versionField = fieldPosition(bb, model, MODEL_FIELDS.version);
  const references = new Map(
    Object.values(MODEL_FIELDS).map((id) => [id, id === MODEL_FIELDS.version ? 0 : referencedObject(bb, model, id)]),
  );
  return { version: versionField ? bb.readUint32(versionField) : 0, bufferTables, metadataTables, references };
}

function bufferTable(/** @type {Builder} */ builder, /** @type {Uint8Array} */ data) {
  const vector = alignedByteVector(builder, data, BLOCK_ALIGNMENT);
  builder.startObject(3);
  builder.addFieldOffset(BUFFER_FIELDS.data, vector, 0);
  return builder.endObject();
}

function metadataTable(/** @type {Builder} */ builder, /** @type {number} */ bufferIndex) {
  const name = builder.createString(METADATA_NAME);
  builder.startObject(2);
  builder.addFieldOffset(METADATA_FIELDS.name, name, 0);
  builder.addFieldInt32(METADATA_FIELDS.buffer, bufferIndex, 0);
  return builder.endObject();
}
